import { signInApplication } from "../catalog/index.js";
import { UsageError } from "../errors.js";
import { netConfigFrom, type NetConfig } from "../net/config.js";
import { proxyAwareFetch, type FetchFn } from "../net/fetch.js";
import { registerSecret } from "../net/redact.js";
import type { ProjectPlan } from "../plan/types.js";
import { cloudflareApi, type CloudflareApi } from "../cloud/cloudflare.js";
import { currentSetting } from "../project/settings.js";
import { readState, STATE_FILE } from "../cloud/state.js";
import { workosApi, type WorkosApi } from "../cloud/workos.js";
import { asStepFailure, type CloudStage } from "../report/step-failure.js";
import type { Prompter } from "./prompter.js";

/**
 * What a run needs to reach the clouds, resolved before anything is created (so a missing credential or an ambiguous
 * account fails first): credentials, the account, settings copied from the environment, and the clients (the SDKs load
 * here, lazily). Kept apart from the Plan, so `--dry-run` and `--json` cannot show a credential or a secret.
 */
export interface CloudAccess {
  net: NetConfig;
  fetch: FetchFn;
  cloudflare?: { api: CloudflareApi; accountId: string; apiToken: string; baseURL?: string };
  workos?: { api: WorkosApi; apiKey: string; apiHostname?: string };
  /** Settings provisioning copies from the environment, by name (secret ones included). */
  values: Map<string, string>;
  /** A copy of the environment: a credential typed at a prompt is kept here, never in process.env. */
  env: NodeJS.ProcessEnv;
}

export interface AccessAsker {
  interactive: boolean;
  prompter: Prompter;
  env: NodeJS.ProcessEnv;
  /** --account-id */
  accountId?: string;
}

export interface Needs {
  cloudflare: boolean;
  workos: boolean;
  /** Resolve the settings provisioning copies from the environment (not for destroy). */
  settings?: boolean;
}

/** What a provision (and deploy) of this project calls, read off the Plan's resources. */
export function provisionNeeds(plan: ProjectPlan, deploying: boolean): Needs {
  const stages = deploying ? ["provision", "deploy"] : ["provision"];
  return {
    cloudflare: plan.workers && (deploying || plan.resources.some((r) => r.provider === "cloudflare" && stages.includes(r.stage))),
    workos: plan.resources.some((r) => r.provider === "workos"),
  };
}

const CREDENTIAL_HELP: Record<string, string> = {
  CLOUDFLARE_API_TOKEN: "a Cloudflare API token (dash.cloudflare.com → My Profile → API Tokens; template “Edit Cloudflare Workers”)",
  WORKOS_API_KEY: "your WorkOS API key (dashboard → API Keys)",
  AUTHKIT_DOMAIN: "your AuthKit domain (WorkOS dashboard → Connect → Configuration), e.g. acme-123.authkit.app",
  WORKOS_CLIENT_ID: "the environment's client ID (WorkOS dashboard → API Keys), e.g. client_01J… (--workos-client environment signs people in through it)",
};

const ACCOUNT_ID = /^[0-9a-f]{32}$/i;

const required = (name: string) => (v: string) => (v.trim() ? undefined : `${name} is required`);

/** A credential from the environment; asked for (masked) when interactive; missing in CI → exit 2 naming it. */
async function credential(asker: AccessAsker, name: string, why: string): Promise<string> {
  const fromEnv = asker.env[name]?.trim();
  if (fromEnv) {
    registerSecret(fromEnv);
    return fromEnv;
  }
  if (!asker.interactive) {
    throw new UsageError(`${why} needs ${name} in the environment: ${CREDENTIAL_HELP[name] ?? name}. It is read from the environment only and never written to the project's tracked files.`, "missing_credential");
  }
  const value = (await asker.prompter.password({ message: `${name} — ${CREDENTIAL_HELP[name] ?? name} (not saved to tracked files)`, validate: required(name) })).trim();
  registerSecret(value);
  asker.env[name] = value;
  return value;
}

/** A plain setting from the environment or the project; asked for when interactive; missing in CI → exit 2 naming it. */
async function environmentSetting(asker: AccessAsker, plan: ProjectPlan, name: string, optional: boolean): Promise<string | undefined> {
  const setting = plan.settings.find((s) => s.name === name);
  const value = asker.env[name]?.trim() || currentSetting(plan, name);
  if (value && setting?.secret) registerSecret(value);
  if (value || optional) return value || undefined;
  const help = CREDENTIAL_HELP[name] ?? setting?.description ?? name;
  if (!asker.interactive) {
    throw new UsageError(`Provisioning needs ${name} in the environment: ${help.replace(/\.$/, "")}.`, "missing_setting");
  }
  const ask = setting?.secret ? asker.prompter.password : asker.prompter.text;
  const answer = (await ask({ message: `${name} — ${help}`, validate: required(name) })).trim();
  if (setting?.secret) registerSecret(answer);
  return answer;
}

/** --account-id, CLOUDFLARE_ACCOUNT_ID, the state file, the only account, or the person's choice — never "the first one". */
async function chooseAccount(asker: AccessAsker, api: CloudflareApi, recorded: string | null): Promise<string> {
  const sources: [string | null | undefined, string][] = [
    [asker.accountId?.trim(), "--account-id"],
    [asker.env.CLOUDFLARE_ACCOUNT_ID?.trim(), "CLOUDFLARE_ACCOUNT_ID"],
    [recorded, `${STATE_FILE}'s accountId`],
  ];
  const [given, source] = sources.find(([value]) => value) ?? [];
  if (given) {
    // It goes into API paths: anything but an account id (a cloned project's state file included) is refused.
    if (!ACCOUNT_ID.test(given)) {
      throw new UsageError(`${source} is "${given}", which is not a Cloudflare account id (32 hexadecimal characters; dashboard → Workers & Pages → Account ID): fix it, or leave it out to choose from the accounts the token can use.`, "bad_account_id");
    }
    return given;
  }
  const accounts = await api.accounts();
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new UsageError("This Cloudflare API token can see no account: give it access to the account to deploy to.", "no_account");
  if (!asker.interactive) {
    const list = accounts.map((a) => `${a.id} (${a.name})`).join(", ");
    throw new UsageError(`This Cloudflare API token can use ${accounts.length} accounts; choose one with --account-id <id> (or CLOUDFLARE_ACCOUNT_ID): ${list}.`, "ambiguous_account");
  }
  return asker.prompter.select({ message: "Which Cloudflare account?", options: accounts.map((a) => ({ value: a.id, label: a.name, hint: a.id })) });
}

/** Resolves credentials, the account and environment settings, and builds the clients. `why` names the command for messages. */
export async function resolveCloudAccess(plan: ProjectPlan, needs: Needs, asker: AccessAsker, why: string, stage: CloudStage = "provision"): Promise<CloudAccess> {
  try {
    return await resolveClients(plan, needs, asker, why);
  } catch (error) {
    throw asStepFailure(error, stage);
  }
}

async function resolveClients(plan: ProjectPlan, needs: Needs, asker: AccessAsker, why: string): Promise<CloudAccess> {
  const net = netConfigFrom(asker.env);
  const fetch = await proxyAwareFetch();
  const access: CloudAccess = { net, fetch, values: new Map(), env: asker.env };
  // Credentials first, all of them, so a CI run missing one fails before any call.
  const cfToken = needs.cloudflare ? await credential(asker, "CLOUDFLARE_API_TOKEN", why) : undefined;
  const workosKey = needs.workos ? await credential(asker, "WORKOS_API_KEY", why) : undefined;
  if (needs.settings !== false) {
    for (const setting of plan.settings) {
      if (setting.provision?.from !== "environment") continue;
      const value = setting.name === "WORKOS_API_KEY" ? workosKey : await environmentSetting(asker, plan, setting.name, setting.provision.optional ?? false);
      if (value) access.values.set(setting.name, value);
    }
    const app = signInApplication(plan.template, plan.project.authMode);
    if (app && plan.project.workosClient === "environment") {
      access.values.set(app.environmentClientIdSetting, (await environmentSetting(asker, plan, app.environmentClientIdSetting, false))!);
    }
  }
  if (cfToken) {
    const baseURL = asker.env.CLOUDFLARE_API_BASE_URL?.trim() || undefined;
    const api = await cloudflareApi({ apiToken: cfToken, baseURL, net, fetch });
    const accountId = await chooseAccount(asker, api, readState(plan.project.projectDir).accountId);
    access.cloudflare = { api, accountId, apiToken: cfToken, ...(baseURL ? { baseURL } : {}) };
  }
  if (workosKey) {
    const apiHostname = access.values.get("WORKOS_API_HOSTNAME") ?? (asker.env.WORKOS_API_HOSTNAME?.trim() || currentSetting(plan, "WORKOS_API_HOSTNAME"));
    access.workos = { api: await workosApi({ apiKey: workosKey, apiHostname, net, fetch }), apiKey: workosKey, ...(apiHostname ? { apiHostname } : {}) };
  }
  return access;
}
