import fs from "node:fs";
import path from "node:path";

/**
 * `.create-mcp-auth/state.json` inside a generated project: what provisioning and deploy made, by stable name, with ids and
 * URLs only (never a secret). It is tracked in git, written after every change, and read by every rerun so the project
 * converges instead of duplicating; `destroy` deletes what it lists as created here.
 */
export const STATE_DIR = ".create-mcp-auth";
export const STATE_FILE = `${STATE_DIR}/state.json`;
export const STATE_VERSION = 1;

export interface StateResource {
  /** e.g. "cloudflare.kv_namespace", "workos.oauth_application" (ResourceKind). */
  kind: string;
  /** The stable name it is found by (KV title, application name, permission slug, URI). */
  name: string;
  /** The vendor's id; null for resources that have none (a secret's name is its id). */
  id: string | null;
  /** True when this project created it (destroy deletes it); false when it existed already (destroy leaves it). */
  created: boolean;
  /** Non-secret details: a KV binding, an application's client id, a URL. */
  details?: Record<string, string>;
}

export interface ProvisionState {
  version: number;
  /** The Cloudflare account resources live in (Workers projects). */
  accountId: string | null;
  /** The deployed origin (https://<worker>.<subdomain>.workers.dev), once deployed. */
  url: string | null;
  resources: StateResource[];
  /** Creations started but not yet confirmed: a rerun that finds one of these by name knows this project made it. */
  pending: { kind: string; name: string }[];
}

export function emptyState(): ProvisionState {
  return { version: STATE_VERSION, accountId: null, url: null, resources: [], pending: [] };
}

export function statePath(projectDir: string): string {
  return path.join(projectDir, STATE_FILE);
}

export function readState(projectDir: string): ProvisionState {
  const file = statePath(projectDir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return emptyState();
  }
  let parsed: Partial<ProvisionState>;
  try {
    parsed = JSON.parse(text) as Partial<ProvisionState>;
  } catch (error) {
    throw new Error(`${STATE_FILE} is not valid JSON (${(error as Error).message}); fix or remove it.`);
  }
  if (parsed.version !== STATE_VERSION) throw new Error(`${STATE_FILE} has version ${String(parsed.version)}; this create-mcp-auth reads version ${STATE_VERSION}.`);
  return {
    ...emptyState(),
    ...parsed,
    resources: Array.isArray(parsed.resources) ? parsed.resources : [],
    pending: Array.isArray(parsed.pending) ? parsed.pending : [],
  };
}

/** Written through a temporary file and a rename, so an interrupted write never leaves half a file. */
export function writeState(projectDir: string, state: ProvisionState): void {
  const file = statePath(projectDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

export function findResource(state: ProvisionState, kind: string, name: string): StateResource | undefined {
  return state.resources.find((r) => r.kind === kind && r.name === name);
}

/** Adds or replaces (same kind and name) a resource and clears its pending mark. */
export function recordResource(state: ProvisionState, resource: StateResource): void {
  const index = state.resources.findIndex((r) => r.kind === resource.kind && r.name === resource.name);
  if (index === -1) state.resources.push(resource);
  else state.resources[index] = resource;
  state.pending = state.pending.filter((p) => !(p.kind === resource.kind && p.name === resource.name));
}

export function removeResource(state: ProvisionState, kind: string, name: string): void {
  state.resources = state.resources.filter((r) => !(r.kind === kind && r.name === name));
  state.pending = state.pending.filter((p) => !(p.kind === kind && p.name === name));
}

export function markPending(state: ProvisionState, kind: string, name: string): void {
  if (!isPending(state, kind, name)) state.pending.push({ kind, name });
}

export function isPending(state: ProvisionState, kind: string, name: string): boolean {
  return state.pending.some((p) => p.kind === kind && p.name === name);
}
