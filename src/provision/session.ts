import * as clack from "@clack/prompts";
import { signInApplication } from "../catalog/index.js";
import { CancelledError, StepError, UsageError } from "../errors.js";
import { netConfigFrom, type NetConfig } from "../net/config.js";
import { proxyAwareFetch, type FetchFn } from "../net/fetch.js";
import { ApiCallError } from "../net/http.js";
import { registerSecret } from "../net/redact.js";
import type { ResourceKind } from "../plan/types.js";
import type { Progress } from "../report/progress.js";
import type { RunResult } from "../report/result.js";
import { cloudflareApi, type CloudflareApi } from "./cloudflare.js";
import type { Ledger, ResourceAction } from "./find-or-create.js";
import { currentSetting, type Project } from "./project.js";
import { readState, STATE_FILE, writeState, type ProvisionState } from "./state.js";
import { workosApi, type WorkosApi } from "./workos.js";

/** One provision / deploy / destroy run: who asks, where output goes, what is reported. */
export interface CloudSession {
  project: Project;
  interactive: boolean;
  /** -y: answers destroy's confirmation. */
  yes: boolean;
  env: NodeJS.ProcessEnv;
  /** --account-id */
  accountId?: string;
  progress: Progress;
  result: RunResult;
}

/** Clients and values resolved before anything is created (so a missing credential or an ambiguous account fails first). */
export interface Prepared {
  net: NetConfig;
  fetch: FetchFn;
  cloudflare?: { api: CloudflareApi; accountId: string; apiToken: string; baseURL?: string };
  workos?: { api: WorkosApi; apiKey: string; apiHostname?: string };
  /** Settings provisioning copies from the environment, by name. */
  values: Map<string, string>;
}

const CREDENTIAL_HELP: Record<string, string> = {
  CLOUDFLARE_API_TOKEN: "a Cloudflare API token (dash.cloudflare.com → My Profile → API Tokens; template “Edit Cloudflare Workers”)",
  WORKOS_API_KEY: "your WorkOS API key (dashboard → API Keys)",
  AUTHKIT_DOMAIN: "your AuthKit domain (WorkOS dashboard → Connect → Configuration), e.g. acme-123.authkit.app",
  WORKOS_CLIENT_ID: "the environment's client ID (WorkOS dashboard → API Keys), e.g. client_01J… (--workos-client environment signs people in through it)",
};

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

/** A credential from the environment; asked for (masked) when interactive; missing in CI → exit 2 naming it. */
export async function credential(session: CloudSession, name: string, why: string): Promise<string> {
  const fromEnv = session.env[name]?.trim();
  if (fromEnv) {
    registerSecret(fromEnv);
    return fromEnv;
  }
  if (!session.interactive) {
    throw new UsageError(`${why} needs ${name} in the environment: ${CREDENTIAL_HELP[name] ?? name}. It is read from the environment only and never written to the project's tracked files.`, "missing_credential");
  }
  const value = answered(
    await clack.password({ message: `${name} — ${CREDENTIAL_HELP[name] ?? name} (not saved to tracked files)`, validate: (v) => (v?.trim() ? undefined : `${name} is required`) }),
  ).trim();
  registerSecret(value);
  session.env[name] = value;
  return value;
}

/** A plain setting from the environment or the project; asked for when interactive; missing in CI → exit 2 naming it. */
async function environmentSetting(session: CloudSession, name: string, optional: boolean): Promise<string | undefined> {
  const setting = session.project.settings.find((s) => s.name === name);
  const value = session.env[name]?.trim() || currentSetting(session.project, name);
  if (value && setting?.secret) registerSecret(value);
  if (value || optional) return value || undefined;
  const help = CREDENTIAL_HELP[name] ?? setting?.description ?? name;
  if (!session.interactive) {
    throw new UsageError(`Provisioning needs ${name} in the environment: ${help.replace(/\.$/, "")}.`, "missing_setting");
  }
  const ask = setting?.secret ? clack.password : clack.text;
  const answer = answered(await ask({ message: `${name} — ${help}`, validate: (v) => (v?.trim() ? undefined : `${name} is required`) })).trim();
  if (setting?.secret) registerSecret(answer);
  return answer;
}

/** --account-id, CLOUDFLARE_ACCOUNT_ID, the state file, the only account, or the person's choice — never "the first one". */
async function chooseAccount(session: CloudSession, api: CloudflareApi, state: ProvisionState): Promise<string> {
  const given = session.accountId?.trim() || session.env.CLOUDFLARE_ACCOUNT_ID?.trim() || state.accountId;
  if (given) return given;
  const accounts = await api.accounts();
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new UsageError("This Cloudflare API token can see no account: give it access to the account to deploy to.", "no_account");
  if (!session.interactive) {
    const list = accounts.map((a) => `${a.id} (${a.name})`).join(", ");
    throw new UsageError(`This Cloudflare API token can use ${accounts.length} accounts; choose one with --account-id <id> (or CLOUDFLARE_ACCOUNT_ID): ${list}.`, "ambiguous_account");
  }
  return answered(
    await clack.select({ message: "Which Cloudflare account?", options: accounts.map((a) => ({ value: a.id, label: a.name, hint: a.id })) }),
  );
}

export interface Needs {
  cloudflare: boolean;
  workos: boolean;
  /** Resolve the settings provisioning copies from the environment (not for destroy). */
  settings?: boolean;
}

/** What a provision (and deploy) of this project calls. */
export function provisionNeeds(project: Project, deploying: boolean): Needs {
  return {
    cloudflare: project.workers && (deploying || project.resources.some((r) => r.provider === "cloudflare" && r.stage === "provision")),
    workos: project.template.provisioning?.provider === "workos" && project.options.authMode !== null,
  };
}

/** Resolves credentials, the account and environment settings, and builds the clients (the SDKs load here, lazily). */
export async function prepare(session: CloudSession, needs: Needs, why: string, stage: "provision" | "deploy" | "destroy" = "provision"): Promise<Prepared> {
  try {
    return await prepareClients(session, needs, why);
  } catch (error) {
    throw asStepFailure(error, stage);
  }
}

async function prepareClients(session: CloudSession, needs: Needs, why: string): Promise<Prepared> {
  const net = netConfigFrom(session.env);
  const fetch = await proxyAwareFetch();
  const prepared: Prepared = { net, fetch, values: new Map() };
  // Credentials first, all of them, so a CI run missing one fails before any call.
  const cfToken = needs.cloudflare ? await credential(session, "CLOUDFLARE_API_TOKEN", why) : undefined;
  const workosKey = needs.workos ? await credential(session, "WORKOS_API_KEY", why) : undefined;
  if (needs.settings !== false) {
    for (const setting of session.project.settings) {
      if (setting.provision?.from !== "environment") continue;
      const value = setting.name === "WORKOS_API_KEY" ? workosKey : await environmentSetting(session, setting.name, setting.provision.optional ?? false);
      if (value) prepared.values.set(setting.name, value);
    }
    const app = signInApplication(session.project.template, session.project.options.authMode);
    if (app && session.project.options.workosClient === "environment") {
      prepared.values.set(app.environmentClientIdSetting, (await environmentSetting(session, app.environmentClientIdSetting, false))!);
    }
  }
  if (cfToken) {
    const baseURL = session.env.CLOUDFLARE_API_BASE_URL?.trim() || undefined;
    const api = await cloudflareApi({ apiToken: cfToken, baseURL, net, fetch });
    const accountId = await chooseAccount(session, api, readState(session.project.dir));
    prepared.cloudflare = { api, accountId, apiToken: cfToken, ...(baseURL ? { baseURL } : {}) };
  }
  if (workosKey) {
    const apiHostname = prepared.values.get("WORKOS_API_HOSTNAME") ?? (session.env.WORKOS_API_HOSTNAME?.trim() || currentSetting(session.project, "WORKOS_API_HOSTNAME"));
    prepared.workos = { api: await workosApi({ apiKey: workosKey, apiHostname, net, fetch }), apiKey: workosKey, ...(apiHostname ? { apiHostname } : {}) };
  }
  return prepared;
}

/** The state file and the run's report, saved after every change. */
export function openLedger(session: CloudSession): Ledger {
  const state = readState(session.project.dir);
  return {
    state,
    save: () => writeState(session.project.dir, state),
    report: (kind: ResourceKind, name: string, id: string | null, action: ResourceAction) => reportResource(session.result, kind, name, id, action),
  };
}

export function reportResource(result: RunResult, kind: string, name: string, id: string | null, action: ResourceAction): void {
  const existing = result.resources.find((r) => r.kind === kind && r.name === name);
  // Found again later in the same run (provision made it, deploy checks it): it was still created by this run.
  if (existing) Object.assign(existing, { id, action: existing.action === "created" && action === "reused" ? "created" : action });
  else result.resources.push({ kind, name, id, action });
}

/** A vendor's message may end its own sentence; ours goes on after it. */
const sentenceEnd = (detail: string) => detail.replace(/[.\s]+$/, "");

type Stage = "provision" | "deploy" | "destroy";

/** How to go on after a run stopped part-way: the state file knows what was done. */
export function howToResume(stage: Stage): string {
  if (stage === "destroy") {
    return `What is still there is listed in ${STATE_FILE}; rerun \`create-mcp-auth destroy\` inside the project to delete the rest (what is already gone is skipped).`;
  }
  return `What was done so far is recorded in ${STATE_FILE}; rerun \`create-mcp-auth ${stage}\` inside the project to continue (nothing is created twice).`;
}

/** A failed vendor call becomes exit 1 with the step it stopped at and how to resume. */
export function asStepFailure(error: unknown, stage: Stage): unknown {
  if (!(error instanceof ApiCallError)) return error;
  const what = { provision: "Provisioning", deploy: "Deploy", destroy: "Destroy" }[stage];
  return new StepError(`${what} stopped at "${error.step}": ${sentenceEnd(error.detail)}. ${howToResume(stage)}`, `${stage}_failed`);
}
