import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { startCloudflareFake, type CloudflareFake, type FakeAccount } from "../fakes/cloudflare.js";
import { startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { onlyJson, runCli } from "./cli.js";

/** The Cloudflare and WorkOS stand-ins one provisioning test runs against. */
export interface Clouds {
  cf: CloudflareFake;
  workos: WorkosFake;
  close(): Promise<void>;
}

export async function startClouds(accounts?: FakeAccount[]): Promise<Clouds> {
  const cf = await startCloudflareFake(accounts ? { accounts } : {});
  const workos = await startWorkosFake();
  return { cf, workos, close: async () => void (await Promise.all([cf.close(), workos.close()])) };
}

/** The environment a CI job provisioning against the stand-ins has; tight network bounds keep failure tests fast. */
export function cloudEnv(clouds: Clouds, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    CI: "true",
    CLOUDFLARE_API_BASE_URL: clouds.cf.apiBase,
    CLOUDFLARE_API_TOKEN: clouds.cf.apiToken,
    CLOUDFLARE_ACCOUNT_ID: undefined,
    WORKOS_API_KEY: clouds.workos.apiKey,
    WORKOS_API_HOSTNAME: clouds.workos.apiHostname,
    AUTHKIT_DOMAIN: clouds.workos.issuer,
    CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "1000",
    CREATE_MCP_AUTH_HTTP_RETRIES: "1",
    HTTP_PROXY: undefined,
    HTTPS_PROXY: undefined,
    http_proxy: undefined,
    https_proxy: undefined,
    NO_PROXY: undefined,
    no_proxy: undefined,
    WRANGLER_SEND_METRICS: "false",
    ...extra,
  };
}

/** Every output of every CLI run in a test file, for the secret scan. */
export const outputs: string[] = [];

/** Runs the built CLI inside `cwd` and returns its exit code and the one JSON object it printed. */
export async function cli(args: string[], cwd: string, env: Record<string, string | undefined>) {
  const result = await runCli([...args, "--json"], { cwd, env });
  outputs.push(result.stdout, result.stderr);
  let json: Record<string, any>;
  try {
    json = onlyJson(result.stdout);
  } catch {
    throw new Error(`not one JSON object (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
  return { exitCode: result.exitCode ?? -1, json, stderr: result.stderr };
}

export function expectOk(run: { exitCode: number; json: Record<string, any>; stderr: string }) {
  expect(run.exitCode, `${JSON.stringify(run.json.error)}\n${run.stderr}`).toBe(0);
  expect(run.json.ok).toBe(true);
}

export const readState = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, ".create-mcp-auth/state.json"), "utf8"));

/** Every file of a project, except its installed dependencies. */
export function projectFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".git" || entry.name === ".wrangler") continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Where a secret may live: the git-ignored settings files (.dev.vars / .env), nowhere else. */
export function expectNoSecretLeaks(secrets: string[], dirs: string[]) {
  const values = secrets.filter((s) => s && s.length >= 8);
  expect(values.length).toBeGreaterThan(0);
  for (const text of outputs) for (const secret of values) expect(text.includes(secret), `a secret appears in CLI output:\n${text.slice(0, 400)}`).toBe(false);
  for (const dir of dirs) {
    for (const file of projectFiles(dir)) {
      if (/(^|\/)\.(dev\.vars|env)$/.test(file)) continue;
      const text = fs.readFileSync(file, "utf8");
      for (const secret of values) expect(text.includes(secret), `a secret appears in ${file}`).toBe(false);
    }
  }
}

/** What the stand-ins hold when nothing is provisioned. */
export const EMPTY_CLOUDS = {
  cf: { kvNamespaces: [], workers: [], secrets: [] },
  workos: { applications: [], clientSecrets: [], redirectUris: [], permissions: [], roles: [], oauthResources: [] },
};

export const cloudSnapshot = (clouds: Clouds) => ({ cf: clouds.cf.snapshot(), workos: clouds.workos.snapshot() });

/** A run's `--json` resources as "kind name" → action. */
export const resourceActions = (run: { json: Record<string, any> }): Record<string, string> =>
  Object.fromEntries(run.json.resources.map((r: { kind: string; name: string; action: string }) => [`${r.kind} ${r.name}`, r.action]));
