import fs from "node:fs";
import path from "node:path";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy } from "../fakes/proxy.js";
import { tempDir } from "../helpers/cli.js";
import { cli, cloudEnv, expectNoSecretLeaks, expectOk, readState, resourceActions, startClouds, type Clouds } from "../helpers/provision.js";

// `create-mcp-auth provision | destroy` (and create --provision) against local Cloudflare and WorkOS stand-ins, driven by the
// real SDKs. Projects are generated with --no-install: provisioning needs no node_modules (deploy does: see deploy.test.ts).

let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
const projectDirs: string[] = [];
beforeAll(async () => {
  work = tempDir("provision");
  clouds = await startClouds();
});
afterAll(async () => {
  await clouds.close();
  work.cleanup();
});

const PROXY_FLAGS = ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,shop,audit", "--no-install", "--no-git"];
let counter = 0;

/** A fresh proxy-mode Workers project (KV namespaces, OAuth application, permissions and roles to provision). */
async function proxyProject(env = cloudEnv(clouds), name = `app-${++counter}`) {
  const created = await cli([name, ...PROXY_FLAGS], work.dir, env);
  expectOk(created);
  const dir = path.join(work.dir, name);
  projectDirs.push(dir);
  return { dir, name };
}

/** What the stand-ins hold for one project: no resource may exist twice, and the state's ids must be the real ones. */
function expectConverged(dir: string, name: string) {
  const titles = [...clouds.cf.kvNamespaces.values()].filter((n) => n.title.startsWith(`${name}-`));
  expect(titles.map((n) => n.title).sort()).toEqual([`${name}-DATA_KV`, `${name}-OAUTH_KV`]);
  const apps = [...clouds.workos.provisioning.applications.values()].filter((a) => a.name === name);
  expect(apps).toHaveLength(1);
  expect(apps[0]!.secrets.size).toBe(1);
  const state = readState(dir);
  const byKind = (kind: string) => state.resources.filter((r: { kind: string }) => r.kind === kind);
  expect(byKind("cloudflare.kv_namespace").map((r: { id: string }) => r.id).sort()).toEqual(titles.map((n) => n.id).sort());
  expect(byKind("workos.oauth_application").map((r: { id: string }) => r.id)).toEqual([apps[0]!.id]);
  expect(state.pending).toEqual([]);
  for (const slug of ["shop:admin", "audit:read"]) expect(byKind("workos.permission").find((r: { name: string }) => r.name === slug)?.id).toBe(clouds.workos.provisioning.permissions.get(slug)?.id);
  for (const slug of ["shop-admin", "auditor"]) expect(byKind("workos.role").find((r: { name: string }) => r.name === slug)?.id).toBe(clouds.workos.provisioning.roles.get(slug)?.id);
  // The ids are in wrangler.jsonc, comments intact, and the client id is a plain var.
  const text = fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8");
  expect(text).toContain("// OAuth server state");
  const config = parse(text);
  expect(Object.fromEntries(config.kv_namespaces.map((k: { binding: string; id: string }) => [k.binding, k.id]))).toEqual(
    Object.fromEntries(titles.map((n) => [n.title.slice(name.length + 1), n.id])),
  );
  expect(config.vars.WORKOS_APP_CLIENT_ID).toBe(apps[0]!.clientId);
  const devVars = fs.readFileSync(path.join(dir, ".dev.vars"), "utf8");
  expect(devVars).toContain(`WORKOS_APP_CLIENT_SECRET=${[...apps[0]!.secrets.values()][0]}`);
}

/** Every API call a proxy-mode provision makes, with the step name its failure must be reported under. */
const CALLS: [label: string, fake: "cf" | "workos", match: RegExp, step: RegExp][] = [
  ["list accounts", "cf", /^GET \/client\/v4\/accounts$/, /Cloudflare: list accounts/],
  ["list KV namespaces", "cf", /^GET \/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces$/, /Cloudflare: find KV namespace app-\d+-OAUTH_KV/],
  ["create a KV namespace", "cf", /^POST \/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces$/, /Cloudflare: create KV namespace app-\d+-OAUTH_KV/],
  ["list applications", "workos", /^GET \/connect\/applications$/, /WorkOS: find OAuth application/],
  ["create the application", "workos", /^POST \/connect\/applications$/, /WorkOS: create OAuth application/],
  ["create its client secret", "workos", /^POST \/connect\/applications\/[^/]+\/client_secrets$/, /WorkOS: create a client secret/],
  ["find a permission", "workos", /^GET \/authorization\/permissions\/[^/]+$/, /WorkOS: find permission shop:admin/],
  ["create a permission", "workos", /^POST \/authorization\/permissions$/, /WorkOS: create permission shop:admin/],
  ["find a role", "workos", /^GET \/authorization\/roles\/[^/]+$/, /WorkOS: find role shop-admin/],
  ["create a role", "workos", /^POST \/authorization\/roles$/, /WorkOS: create role shop-admin/],
  ["grant a role its permissions", "workos", /^PUT \/authorization\/roles\/[^/]+\/permissions$/, /WorkOS: grant shop:admin to role shop-admin/],
];

describe("create-mcp-auth provision", () => {
  it("creates what the catalog declares, writes ids and settings into the project, and a rerun converges", async () => {
    const { dir, name } = await proxyProject();
    const first = await cli(["provision"], dir, cloudEnv(clouds));
    expectOk(first);
    expect(first.json).toMatchObject({ command: "provision", packageName: name, authMode: "proxy", steps: [{ name: "provision", status: "done" }], url: null });
    const actions = resourceActions;
    expect(actions(first)).toEqual({
      [`cloudflare.kv_namespace ${name}-OAUTH_KV`]: "created",
      [`cloudflare.kv_namespace ${name}-DATA_KV`]: "created",
      "generated_secret COOKIE_ENCRYPTION_KEY": "created",
      "generated_secret REQUEST_STATE_KEY": "created", // signs the shop's confirmations
      [`workos.oauth_application ${name}`]: "created",
      "workos.redirect_uri http://localhost:8787/callback": "created",
      [`workos.client_secret ${name} client secret`]: "created",
      "workos.permission shop:admin": "created",
      "workos.permission audit:read": "created",
      "workos.role shop-admin": "created",
      "workos.role auditor": "created",
    });
    // What it did is what --dry-run listed for the same project (those made with a deploy wait for --deploy).
    const elsewhere = tempDir("provision-plan");
    try {
      const planned = await cli([name, ...PROXY_FLAGS, "--dry-run", "--json"], elsewhere.dir, cloudEnv(clouds));
      const listed = planned.json.resources as { kind: string; name: string }[];
      const withoutDeploy = listed.filter((r) => !r.name.startsWith("<url>") && !r.kind.startsWith("cloudflare.worker"));
      expect(withoutDeploy.map((r) => `${r.kind} ${r.name}`).sort()).toEqual(Object.keys(actions(first)).sort());
    } finally {
      elsewhere.cleanup();
    }
    expectConverged(dir, name);
    expect(clouds.workos.provisioning.roles.get("shop-admin")!.permissions).toEqual(["shop:admin"]);
    const cookieKey = fs.readFileSync(path.join(dir, ".dev.vars"), "utf8").match(/^COOKIE_ENCRYPTION_KEY=(\w+)$/m)![1];

    const second = await cli(["provision"], dir, cloudEnv(clouds));
    expectOk(second);
    expect(Object.values(actions(second)).every((a) => a === "reused")).toBe(true);
    expectConverged(dir, name);
    // Generated once, never silently rotated.
    expect(fs.readFileSync(path.join(dir, ".dev.vars"), "utf8")).toContain(`COOKIE_ENCRYPTION_KEY=${cookieKey}`);
  });

  it("retries a 429 at every API call of the flow and succeeds", async () => {
    const { dir, name } = await proxyProject();
    for (const [, fake, match] of CALLS) (fake === "cf" ? clouds.cf : clouds.workos).http.fail(new RegExp(match.source), { status: 429, times: 1 });
    try {
      const run = await cli(["provision"], dir, cloudEnv(clouds));
      expectOk(run);
      expectConverged(dir, name);
    } finally {
      clouds.cf.http.clearFaults();
      clouds.workos.http.clearFaults();
    }
  });

  it.each(CALLS)("a persistent 500 at “%s” fails in bounded time naming the step; a rerun converges", async (_label, fake, match, step) => {
    // Permissions and roles are environment-wide: start from an environment without them, so they are created here.
    clouds.workos.provisioning.permissions.clear();
    clouds.workos.provisioning.roles.clear();
    const { dir, name } = await proxyProject();
    const target = fake === "cf" ? clouds.cf : clouds.workos;
    target.http.fail(match, { status: 500, times: Number.POSITIVE_INFINITY });
    const started = Date.now();
    let failed;
    try {
      failed = await cli(["provision"], dir, cloudEnv(clouds));
    } finally {
      target.http.clearFaults();
    }
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(failed.exitCode).toBe(1);
    expect(failed.json.error.code).toBe("provision_failed");
    expect(failed.json.error.message).toMatch(step);
    expect(failed.json.error.message).toMatch(/HTTP 500/);
    expect(failed.json.steps).toEqual([{ name: "provision", status: "failed" }]);
    const recorded = fs.existsSync(path.join(dir, ".create-mcp-auth/state.json")) ? readState(dir).resources : [];

    const rerun = await cli(["provision"], dir, cloudEnv(clouds));
    expectOk(rerun);
    expectConverged(dir, name);
    // Nothing recorded before the failure was lost or replaced.
    const after = readState(dir).resources;
    for (const resource of recorded) expect(after).toContainEqual(resource);
  });

  it("survives a timeout that clears, and reports one that does not within the bound", async () => {
    const { dir, name } = await proxyProject();
    clouds.cf.http.fail(/^POST \/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces$/, { status: 503, times: 1, delayMs: 2_500 });
    clouds.workos.http.fail(/^POST \/connect\/applications$/, { status: 503, times: 1, delayMs: 2_500 });
    const cleared = await cli(["provision"], dir, cloudEnv(clouds));
    clouds.cf.http.clearFaults();
    clouds.workos.http.clearFaults();
    expectOk(cleared);
    expectConverged(dir, name);

    const other = await proxyProject();
    clouds.workos.http.fail(/^GET \/authorization\/permissions\/[^/]+$/, { status: 503, times: Number.POSITIVE_INFINITY, delayMs: 3_000 });
    const started = Date.now();
    const stuck = await cli(["provision"], other.dir, cloudEnv(clouds));
    clouds.workos.http.clearFaults();
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(stuck.exitCode).toBe(1);
    expect(stuck.json.error.message).toMatch(/WorkOS: find permission shop:admin": no answer from 127\.0\.0\.1:\d+ within 1000 ms/);
  });

  it("routes every call through HTTP_PROXY, and not for hosts in NO_PROXY", async () => {
    const proxy = await startProxy();
    try {
      const { dir, name } = await proxyProject();
      const run = await cli(["provision"], dir, cloudEnv(clouds, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }));
      expectOk(run);
      expectConverged(dir, name);
      const hosts = new Set(proxy.seen.map((line) => line.replace(/^(CONNECT|[A-Z]+ http:\/\/)/, "").trim().split("/")[0]));
      expect(hosts).toContain(new URL(clouds.cf.url).host);
      expect(hosts).toContain(new URL(clouds.workos.url).host);

      proxy.seen.length = 0;
      const bypass = await cli(["provision"], dir, cloudEnv(clouds, { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }));
      expectOk(bypass);
      expect(proxy.seen).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("checks Dynamic Client Registration in direct mode and prints the one manual step when it is off", async () => {
    const created = await cli(["direct-app", "-t", "workos", "--target", "node", "--tools", "whoami", "--no-install", "--no-git"], work.dir, cloudEnv(clouds));
    expectOk(created);
    const dir = path.join(work.dir, "direct-app");
    projectDirs.push(dir);
    clouds.workos.setRegistrationEnabled(false);
    try {
      const off = await cli(["provision"], dir, cloudEnv(clouds));
      expectOk(off);
      expect(off.json.resources).toContainEqual({ kind: "workos.dcr_check", name: "Dynamic Client Registration", id: null, action: "skipped" });
      expect(off.json.nextSteps.join("\n")).toMatch(/Connect → Configuration, turn on Dynamic Client Registration/);
    } finally {
      clouds.workos.setRegistrationEnabled(true);
    }
    const on = await cli(["provision"], dir, cloudEnv(clouds));
    expectOk(on);
    expect(on.json.resources).toContainEqual({ kind: "workos.dcr_check", name: "Dynamic Client Registration", id: null, action: "reused" });
    // Node keeps everything in .env; the settings are there, the API key only in the git-ignored file.
    const env = fs.readFileSync(path.join(dir, ".env"), "utf8");
    expect(env).toContain(`AUTHKIT_DOMAIN=${clouds.workos.issuer}`);
    expect(env).toContain(`WORKOS_API_KEY=${clouds.workos.apiKey}`);
    // deploy on Node provisions and says what to run.
    const deploy = await cli(["deploy"], dir, cloudEnv(clouds));
    expectOk(deploy);
    expect(deploy.json.url).toBeNull();
    expect(deploy.json.nextSteps.join("\n")).toMatch(/docker build -t direct-app \./);
  });

  it("exits 2 naming what is missing, before writing or creating anything", async () => {
    const before = clouds.cf.snapshot();
    const noKey = await cli(["no-key", ...PROXY_FLAGS, "--provision"], work.dir, cloudEnv(clouds, { WORKOS_API_KEY: undefined }));
    expect(noKey.exitCode).toBe(2);
    expect(noKey.json.error).toMatchObject({ code: "missing_credential", message: expect.stringContaining("WORKOS_API_KEY") });
    const noToken = await cli(["no-token", ...PROXY_FLAGS, "--provision"], work.dir, cloudEnv(clouds, { CLOUDFLARE_API_TOKEN: undefined }));
    expect(noToken.exitCode).toBe(2);
    expect(noToken.json.error.message).toContain("CLOUDFLARE_API_TOKEN");
    expect(fs.existsSync(path.join(work.dir, "no-key"))).toBe(false);
    expect(fs.existsSync(path.join(work.dir, "no-token"))).toBe(false);
    expect(clouds.cf.snapshot()).toEqual(before);

    const outside = await cli(["provision"], work.dir, cloudEnv(clouds));
    expect(outside.exitCode).toBe(2);
    expect(outside.json.error.code).toBe("not_a_project");
  });

  it("generic OIDC on Workers: create --provision copies OIDC_ISSUER into wrangler.jsonc and makes DATA_KV; no WorkOS call", async () => {
    const flags = ["-t", "oidc", "--target", "workers", "--tools", "whoami,shop", "--no-install", "--no-git", "--provision"];
    const missing = await cli(["oidc-missing", ...flags], work.dir, cloudEnv(clouds, { OIDC_ISSUER: undefined }));
    expect(missing.exitCode).toBe(2);
    expect(missing.json.error).toMatchObject({ code: "missing_setting", message: expect.stringMatching(/^Provisioning needs OIDC_ISSUER in the environment: The issuer URL/) });
    expect(fs.existsSync(path.join(work.dir, "oidc-missing"))).toBe(false);

    const workosCalls = clouds.workos.http.requests.length;
    const issuer = "https://acme.eu.auth0.com/";
    const created = await cli(["oidc-app", ...flags], work.dir, cloudEnv(clouds, { OIDC_ISSUER: issuer, WORKOS_API_KEY: undefined }));
    expectOk(created);
    expect(resourceActions(created)).toEqual({ "cloudflare.kv_namespace oidc-app-DATA_KV": "created", "generated_secret REQUEST_STATE_KEY": "created" });
    const dir = path.join(work.dir, "oidc-app");
    projectDirs.push(dir);
    const config = parse(fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8"));
    expect(config.vars.OIDC_ISSUER).toBe(issuer);
    expect(config.kv_namespaces).toEqual([{ binding: "DATA_KV", id: readState(dir).resources[0].id }]);
    expect(clouds.workos.http.requests.length).toBe(workosCalls);
    expectOk(await cli(["destroy", "-y"], dir, cloudEnv(clouds)));
  });

  it("with two accounts and none chosen, CI exits 2 naming --account-id and creates nothing; --account-id picks one", async () => {
    const two = await startClouds([
      { id: "a".repeat(32), name: "Personal" },
      { id: "b".repeat(32), name: "Work" },
    ]);
    try {
      const env = cloudEnv(two);
      const refused = await cli(["two-accounts", ...PROXY_FLAGS, "--provision"], work.dir, env);
      expect(refused.exitCode).toBe(2);
      expect(refused.json.error).toMatchObject({ code: "ambiguous_account", message: expect.stringContaining("--account-id") });
      expect(refused.json.error.message).toContain("b".repeat(32));
      expect(fs.existsSync(path.join(work.dir, "two-accounts"))).toBe(false);
      expect(two.cf.snapshot().kvNamespaces).toEqual([]);
      expect(two.workos.snapshot().applications).toEqual([]);

      const chosen = await cli(["two-accounts", ...PROXY_FLAGS, "--provision", "--account-id", "b".repeat(32)], work.dir, env);
      expectOk(chosen);
      projectDirs.push(path.join(work.dir, "two-accounts"));
      expect(chosen.json.steps).toContainEqual({ name: "provision", status: "done" });
      expect(two.cf.snapshot().kvNamespaces).toEqual([`${"b".repeat(32)}/two-accounts-DATA_KV`, `${"b".repeat(32)}/two-accounts-OAUTH_KV`]);
      // The account is remembered: a later `provision` needs no --account-id.
      const again = await cli(["provision"], path.join(work.dir, "two-accounts"), env);
      expectOk(again);
      await cli(["destroy", "-y"], path.join(work.dir, "two-accounts"), env);
    } finally {
      await two.close();
    }
  });

  it("destroy asks (CI needs -y), then leaves the stand-ins as they were before provision", async () => {
    const own = await startClouds();
    try {
      // A permission someone made earlier is reused, and left alone by destroy.
      own.workos.provisioning.permissions.set("shop:admin", { id: "perm_EXISTING", slug: "shop:admin", name: "shop:admin", description: null });
      const before = { cf: own.cf.snapshot(), workos: own.workos.snapshot() };
      const env = cloudEnv(own);
      const created = await cli(["doomed", ...PROXY_FLAGS, "--provision"], work.dir, env);
      expectOk(created);
      const dir = path.join(work.dir, "doomed");
      projectDirs.push(dir);
      expect(created.json.resources).toContainEqual({ kind: "workos.permission", name: "shop:admin", id: "perm_EXISTING", action: "reused" });
      expect(own.cf.snapshot()).not.toEqual(before.cf);

      const refused = await cli(["destroy"], dir, env);
      expect(refused.exitCode).toBe(2);
      expect(refused.json.error.message).toMatch(/-y/);
      expect(own.cf.snapshot()).not.toEqual(before.cf);

      const destroyed = await cli(["destroy", "-y"], dir, env);
      expectOk(destroyed);
      expect(destroyed.json.command).toBe("destroy");
      expect(destroyed.json.resources).toContainEqual({ kind: "workos.permission", name: "shop:admin", id: "perm_EXISTING", action: "skipped" });
      expect(destroyed.json.resources.filter((r: { action: string }) => r.action === "deleted").map((r: { kind: string }) => r.kind).sort()).toEqual([
        "cloudflare.kv_namespace",
        "cloudflare.kv_namespace",
        "workos.client_secret",
        "workos.oauth_application",
        "workos.permission",
        "workos.role",
        "workos.role",
      ]);
      expect({ cf: own.cf.snapshot(), workos: own.workos.snapshot() }).toEqual(before);
      expect(readState(dir).resources).toEqual([]);
      expect(parse(fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8")).kv_namespaces).toEqual([{ binding: "OAUTH_KV" }, { binding: "DATA_KV" }]);

      // Provisioning again after destroy starts over cleanly.
      const again = await cli(["provision"], dir, env);
      expectOk(again);
      expect(again.json.resources.filter((r: { kind: string }) => r.kind === "cloudflare.kv_namespace").every((r: { action: string }) => r.action === "created")).toBe(true);
      expectOk(await cli(["destroy", "--yes"], dir, env));
      expect({ cf: own.cf.snapshot(), workos: own.workos.snapshot() }).toEqual(before);
    } finally {
      await own.close();
    }
  });

  it("never prints or commits a secret", () => {
    const secrets = [clouds.cf.apiToken, clouds.workos.apiKey, ...[...clouds.workos.provisioning.applications.values()].flatMap((a) => [...a.secrets.values()])];
    for (const dir of projectDirs) {
      const devVars = path.join(dir, ".dev.vars");
      if (fs.existsSync(devVars)) secrets.push(...[...fs.readFileSync(devVars, "utf8").matchAll(/^[A-Z_]+=(.+)$/gm)].map((m) => m[1]!));
    }
    expectNoSecretLeaks(secrets, projectDirs);
  });
});
