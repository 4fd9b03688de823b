import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { ProjectPlan } from "../plan/types.js";
import { parseTools } from "./validate.js";

const AGENT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ORGANIZATION_ID = /^org_[A-Za-z0-9]+$/;

/** `agents` works where the sign-in provider has agents of their own: WorkOS. Elsewhere, a usage error that says why. */
export function refuseAgentsWithout(plan: ProjectPlan): void {
  const id = plan.project.template;
  if (id === "workos") return;
  const why: Record<string, string> = {
    authless: "this project has no sign-in, so every caller is anonymous already",
    github: "GitHub has no client-credentials grant, so an agent cannot sign in without a person",
    oidc: "make a client-credentials client at your OIDC issuer instead: the server accepts its tokens (kind \"service\")",
  };
  throw new UsageError(`\`create-mcp-auth agents\` makes WorkOS machine-to-machine applications, and this is a ${id} project: ${why[id] ?? "it has no WorkOS sign-in"}.`, "agents_unsupported");
}

export function validateAgentName(name: string): string {
  if (!AGENT_NAME.test(name)) {
    throw new UsageError(`The agent name "${name}" is not one: use 1–40 lowercase letters, digits and dashes, starting with a letter or digit (e.g. nightly-report).`);
  }
  return name;
}

export interface AgentAddOptions {
  name: string;
  organizationId: string;
  scopes: string[];
  /** Where the secret goes when it is not shown on a terminal. */
  secretFile?: string;
}

/**
 * `agents add` options, checked before anything is created: the organization, scopes among the project's permissions
 * (default: all of them), and where the secret can go — a terminal, or `--secret-file` (new, outside the project).
 */
export function resolveAgentAdd(
  plan: ProjectPlan,
  given: { name: string; organization?: string; scopes?: string; secretFile?: string },
  { terminal, cwd }: { terminal: boolean; cwd: string },
): AgentAddOptions {
  refuseAgentsWithout(plan);
  const name = validateAgentName(given.name);
  const organizationId = given.organization?.trim() ?? "";
  if (!ORGANIZATION_ID.test(organizationId)) {
    throw new UsageError(
      `${organizationId ? `--organization "${organizationId}" is not a WorkOS organization id` : "Missing --organization"}: an agent belongs to one organization (WorkOS dashboard → Organizations, e.g. org_01H…).`,
    );
  }
  const permissions = [...new Set(plan.packs.flatMap((p) => p.needs.permissions))];
  const scopes = given.scopes === undefined ? permissions : parseTools(given.scopes);
  const unknown = scopes.filter((s) => !permissions.includes(s));
  if (unknown.length > 0) {
    throw new UsageError(`--scopes names ${unknown.join(", ")}, which this project's tools do not check. Valid: ${permissions.join(", ") || "none (its tools check no permission)"}, or "none".`);
  }
  const options: AgentAddOptions = { name, organizationId, scopes };
  if (given.secretFile !== undefined) {
    const file = path.resolve(cwd, given.secretFile);
    const inside = path.relative(plan.project.projectDir, file);
    if (!inside.startsWith("..") && !path.isAbsolute(inside)) {
      throw new UsageError(`--secret-file ${given.secretFile} is inside the project, where it could be committed: put it outside (e.g. ~/.config/${plan.project.packageName}/${name}.secret).`);
    }
    if (fs.existsSync(file)) throw new UsageError(`--secret-file ${given.secretFile} exists: the secret is written to a new file only (remove it, or name another).`);
    if (!fs.existsSync(path.dirname(file))) throw new UsageError(`--secret-file ${given.secretFile}: the directory ${path.dirname(file)} does not exist.`);
    options.secretFile = file;
  } else if (!terminal) {
    throw new UsageError("The agent's secret is given exactly once: on a terminal it is shown; here (no terminal, or --json) pass --secret-file PATH to have it written there (mode 0600).", "secret_file_required");
  }
  return options;
}
