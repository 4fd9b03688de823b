import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import type { FakeUser } from "../fakes/workos.js";
import { serveDeployedWorker } from "../fakes/workers-edge.js";
import { connectWithSignIn, CookieJar, MemoryOAuthProvider, pkce } from "../helpers/proxy-oauth.js";
import { CONFIRMS, toolJson } from "../helpers/server.js";
import {
  cli,
  cloudEnv,
  cloudSnapshot,
  EMPTY_CLOUDS,
  expectNoSecretLeaks,
  expectOk,
  readState,
  resourceActions,
  startClouds,
  type Clouds,
} from "../helpers/provision.js";

// Proxy mode on Workers, provisioned and deployed with the project's own, real `wrangler deploy` against the Cloudflare and
// WorkOS stand-ins: KV namespaces, the server's WorkOS OAuth application and client secret, COOKIE_ENCRYPTION_KEY generated
// once, secrets uploaded with the first deploy, the deployed /callback registered with WorkOS afterwards; reruns, faults at
// wrangler's own API calls, at the post-deploy WorkOS calls and at destroy's deletes, and a person signing in through the
// deployed Worker itself (test/fakes/workers-edge.ts runs what wrangler uploaded). One installed project serves every test:
// each one starts from, and ends with, stand-ins holding nothing.

const NAME = "pxy";
const LEE: FakeUser = { id: "user_LEE", email: "lee@example.com", firstName: "Lee", lastName: "Chen", organizationId: "org_LEE", role: "member", permissions: [] };
let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
let dir: string;
let url: string;
let accountId: string;

beforeAll(async () => {
  work = tempDir("deploy-proxy");
  clouds = await startClouds();
  accountId = clouds.cf.accounts[0]!.id;
  url = `https://${NAME}.${clouds.cf.subdomain}.workers.dev`;
  const created = await cli([NAME, "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,shop", "--no-git"], work.dir, cloudEnv(clouds));
  expectOk(created);
  dir = path.join(work.dir, NAME);
});
afterAll(async () => {
  await clouds?.close();
  work?.cleanup();
});

const EMPTY = EMPTY_CLOUDS;
const snapshot = () => cloudSnapshot(clouds);
const actions = resourceActions;
const devVar = (name: string) => fs.readFileSync(path.join(dir, ".dev.vars"), "utf8").match(new RegExp(`^${name}=(.+)$`, "m"))?.[1];
const application = () => {
  const apps = [...clouds.workos.provisioning.applications.values()].filter((a) => a.name === NAME);
  expect(apps).toHaveLength(1);
  return apps[0]!;
};
const worker = () => clouds.cf.workers.get(`${accountId}/${NAME}`);
/** Every secret value the runs made, for the scan at the end (destroy removes the client secret from .dev.vars). */
const secretsSeen = new Set<string>();

/** Runs with faults armed, clearing them whatever happens. */
async function withFaults<T>(arm: () => void, run: () => Promise<T>): Promise<T> {
  arm();
  try {
    return await run();
  } finally {
    clouds.cf.http.clearFaults();
    clouds.workos.http.clearFaults();
  }
}

/** What a converged deploy leaves: one of everything, ids in the project, secrets on the Worker, the callback registered. */
function expectDeployed() {
  const namespaces = [...clouds.cf.kvNamespaces.values()];
  expect(namespaces.map((n) => n.title).sort()).toEqual([`${NAME}-DATA_KV`, `${NAME}-OAUTH_KV`]);
  const config = parse(fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8"));
  const ids = Object.fromEntries(config.kv_namespaces.map((k: { binding: string; id: string }) => [k.binding, k.id]));
  expect(ids).toEqual(Object.fromEntries(namespaces.map((n) => [n.title.slice(NAME.length + 1), n.id])));
  const app = application();
  expect(app.secrets.size).toBe(1);
  for (const secret of [...app.secrets.values(), devVar("COOKIE_ENCRYPTION_KEY")!, devVar("REQUEST_STATE_KEY")!]) secretsSeen.add(secret);
  expect(app.redirectUris.map((r) => r.uri)).toEqual(["http://localhost:8787/callback", `${url}/callback`]);
  expect(config.vars.WORKOS_APP_CLIENT_ID).toBe(app.clientId);

  const deployed = worker()!;
  expect(deployed).toBeDefined();
  expect(deployed.workersDev).toBe(true);
  for (const binding of ["OAUTH_KV", "DATA_KV"]) {
    expect(deployed.bindings).toContainEqual(expect.objectContaining({ type: "kv_namespace", name: binding, namespace_id: ids[binding] }));
  }
  expect(deployed.vars.WORKOS_APP_CLIENT_ID).toBe(app.clientId);
  expect(deployed.vars.AUTHKIT_DOMAIN).toBe(clouds.workos.issuer);
  expect(Object.fromEntries(deployed.secrets)).toEqual({
    COOKIE_ENCRYPTION_KEY: devVar("COOKIE_ENCRYPTION_KEY"),
    REQUEST_STATE_KEY: devVar("REQUEST_STATE_KEY"),
    WORKOS_APP_CLIENT_SECRET: [...app.secrets.values()][0],
    WORKOS_API_KEY: clouds.workos.apiKey,
  });
  const state = readState(dir);
  expect(state).toMatchObject({ url, accountId, pending: [] });
  expect(state.resources).toContainEqual({ kind: "cloudflare.worker", name: NAME, id: NAME, created: true, details: { url } });
}

/** `destroy -y` leaves the stand-ins as they were before anything was provisioned. */
async function destroyAll(env = cloudEnv(clouds)) {
  const destroyed = await cli(["destroy", "-y"], dir, env);
  expectOk(destroyed);
  expect(snapshot()).toEqual(EMPTY);
  expect(readState(dir)).toMatchObject({ url: null, resources: [], pending: [] });
}

describe("proxy mode: provision, deploy with wrangler, destroy", () => {
  it("provisions, deploys with the secrets, registers the deployed /callback; a rerun reuses everything; destroy undoes it", async () => {
    expect(snapshot()).toEqual(EMPTY);
    const env = cloudEnv(clouds);
    const provisioned = await cli(["provision"], dir, env);
    expectOk(provisioned);
    expect(actions(provisioned)).toEqual({
      [`cloudflare.kv_namespace ${NAME}-OAUTH_KV`]: "created",
      [`cloudflare.kv_namespace ${NAME}-DATA_KV`]: "created",
      "generated_secret COOKIE_ENCRYPTION_KEY": "created",
      "generated_secret REQUEST_STATE_KEY": "created", // signs the shop's confirmations
      [`workos.oauth_application ${NAME}`]: "created",
      "workos.redirect_uri http://localhost:8787/callback": "created",
      [`workos.client_secret ${NAME} client secret`]: "created",
      "workos.permission shop:admin": "created",
      "workos.role shop-admin": "created",
    });
    const cookieKey = devVar("COOKIE_ENCRYPTION_KEY");
    expect(cookieKey).toMatch(/^[0-9a-f]{64}$/);
    expect(worker()).toBeUndefined();

    clouds.cf.http.requests.length = 0;
    const deployed = await cli(["deploy"], dir, env);
    expectOk(deployed);
    expect(deployed.json.url).toBe(url);
    expect(deployed.json.steps).toEqual([
      { name: "provision", status: "done" },
      { name: "deploy", status: "done" },
    ]);
    expect(actions(deployed)).toEqual({
      [`cloudflare.kv_namespace ${NAME}-OAUTH_KV`]: "reused",
      [`cloudflare.kv_namespace ${NAME}-DATA_KV`]: "reused",
      "generated_secret COOKIE_ENCRYPTION_KEY": "reused",
      "generated_secret REQUEST_STATE_KEY": "reused",
      [`workos.oauth_application ${NAME}`]: "reused",
      "workos.redirect_uri http://localhost:8787/callback": "reused",
      [`workos.client_secret ${NAME} client secret`]: "reused",
      "workos.permission shop:admin": "reused",
      "workos.role shop-admin": "reused",
      [`cloudflare.worker ${NAME}`]: "created",
      "cloudflare.worker_secret WORKOS_API_KEY": "created",
      "cloudflare.worker_secret WORKOS_APP_CLIENT_SECRET": "created",
      "cloudflare.worker_secret COOKIE_ENCRYPTION_KEY": "created",
      "cloudflare.worker_secret REQUEST_STATE_KEY": "created",
      [`workos.redirect_uri ${url}/callback`]: "created",
      // The audience of agents' client-credentials tokens (`agents add`).
      [`workos.oauth_resource ${url}/mcp`]: "created",
    });
    expect(deployed.json.nextSteps).toContain(`Claude Code:   claude mcp add --transport http ${NAME} ${url}/mcp`);
    expectDeployed();
    expect(worker()!.deployments).toBe(1);
    // The secrets rode with the first upload: there was no Worker to put them on before it.
    expect(clouds.cf.http.requests.filter((r) => r.method === "PUT" && r.path.endsWith(`/workers/scripts/${NAME}/secrets`))).toEqual([]);
    expect(devVar("COOKIE_ENCRYPTION_KEY")).toBe(cookieKey);

    // WorkOS now sends people back to the deployed server: AuthKit redirects to <url>/callback instead of refusing it.
    const { challenge } = pkce();
    const authorize = new URL(`${clouds.workos.url}/oauth2/authorize`);
    for (const [key, value] of Object.entries({ client_id: application().clientId, redirect_uri: `${url}/callback`, response_type: "code", state: "s", code_challenge: challenge, code_challenge_method: "S256" })) {
      authorize.searchParams.set(key, value);
    }
    const answer = await fetch(authorize, { redirect: "manual" });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toMatch(new RegExp(`^${url.replace(/\./g, "\\.")}/callback\\?`));

    // Deploy again: nothing new anywhere; the key is not rotated; secrets go to the existing Worker first.
    clouds.cf.http.requests.length = 0;
    const again = await cli(["deploy"], dir, env);
    expectOk(again);
    expect(again.json.url).toBe(url);
    expect(Object.entries(actions(again)).filter(([, action]) => action !== "reused")).toEqual([]);
    expect(Object.keys(actions(again))).toContain(`workos.redirect_uri ${url}/callback`);
    expectDeployed();
    expect(worker()!.deployments).toBe(2);
    expect(devVar("COOKIE_ENCRYPTION_KEY")).toBe(cookieKey);
    expect(clouds.cf.http.requests.filter((r) => r.method === "PUT" && r.path.endsWith(`/workers/scripts/${NAME}/secrets`))).toHaveLength(4);

    await destroyAll();
  });

  it("a person signs in through the deployed Worker at its https workers.dev URL, and it acts for them", async () => {
    expectOk(await cli(["deploy"], dir, cloudEnv(clouds)));
    // The code wrangler uploaded, run with the bindings, vars and secrets it was deployed with.
    const edge = await serveDeployedWorker(worker()!, url, dir);
    edge.install();
    try {
      clouds.workos.signInAs(LEE);
      const agent = await connectWithSignIn(`${url}/mcp`, new MemoryOAuthProvider(undefined, "Deployed agent"), new CookieJar(), undefined, "2026-07-28", CONFIRMS);
      expect(toolJson(await agent.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
        kind: "person",
        user: { id: LEE.id, email: LEE.email, name: "Lee Chen" },
        organization: LEE.organizationId,
        role: LEE.role,
      });
      const order = toolJson(await agent.callTool({ name: "order_shirt", arguments: { size: "M", name: "Lee Chen", company: "", address: "1 Edge Street, Lisbon" } }));
      expect(order).toMatchObject({ status: "placed", size: "M" });
      expect(toolJson(await agent.callTool({ name: "list_orders", arguments: {} }))).toMatchObject({ orders: [{ order_id: order.order_id, size: "M" }] });
      await agent.close();
      // The server's own metadata names its deployed origin, not a development one.
      const metadata = await (await fetch(`${url}/.well-known/oauth-protected-resource/mcp`)).json();
      expect(metadata).toMatchObject({ resource: `${url}/mcp`, authorization_servers: [url] });
    } finally {
      await edge.close();
    }
    await destroyAll();
  });

  /** wrangler's own calls during a first deploy (found by running it against the stand-in), and the later WorkOS ones. */
  const WRANGLER_CALLS = [
    /^GET \/client\/v4\/accounts\/[^/]+\/workers\/services\/[^/]+$/,
    /^GET \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/secrets$/,
    /^GET \/client\/v4\/accounts\/[^/]+\/workers\/subdomain$/,
    /^GET \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/deployments$/,
    /^GET \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/settings$/,
    /^PUT \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/,
    /^GET \/client\/v4\/accounts\/[^/]+\/workers\/workers\/[^/]+$/,
    /^POST \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/subdomain$/,
  ];
  const POST_DEPLOY_WORKOS_CALLS = [/^GET \/connect\/applications\/[^/]+$/, /^PUT \/connect\/applications\/[^/]+$/];
  const DELETES: [fake: "cf" | "workos", match: RegExp][] = [
    ["cf", /^DELETE \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/],
    ["cf", /^DELETE \/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces\/[^/]+$/],
    ["workos", /^DELETE \/connect\/applications\/[^/]+$/],
    ["workos", /^DELETE \/authorization\/roles\/[^/]+$/],
    ["workos", /^DELETE \/authorization\/permissions\/[^/]+$/],
  ];
  const seen = (fake: "cf" | "workos", match: RegExp) => clouds[fake].http.requests.some((r) => match.test(`${r.method} ${r.path}`));

  it("a 429 at each of wrangler's own API calls, at the post-deploy WorkOS calls and at destroy's deletes is retried", async () => {
    // wrangler retries some of its calls itself and fails the whole command on a 429 at others; those reruns need retries.
    const env = cloudEnv(clouds, { CREATE_MCP_AUTH_HTTP_RETRIES: "5" });
    clouds.cf.http.requests.length = 0;
    clouds.workos.http.requests.length = 0;
    const deployed = await withFaults(
      () => {
        for (const match of WRANGLER_CALLS) clouds.cf.http.fail(match, { status: 429, times: 1 });
        for (const match of POST_DEPLOY_WORKOS_CALLS) clouds.workos.http.fail(match, { status: 429, times: 1 });
      },
      () => cli(["deploy"], dir, env),
    );
    expectOk(deployed);
    // Every faulted call was made (so its first answer was the 429), and the deploy still converged, once.
    for (const match of WRANGLER_CALLS) expect(seen("cf", match), match.source).toBe(true);
    for (const match of POST_DEPLOY_WORKOS_CALLS) expect(seen("workos", match), match.source).toBe(true);
    expect(deployed.json.resources).toContainEqual({ kind: "workos.redirect_uri", name: `${url}/callback`, id: application().id, action: "created" });
    expectDeployed();

    const destroyed = await withFaults(
      () => {
        for (const [fake, match] of DELETES) clouds[fake].http.fail(match, { status: 429, times: 1 });
      },
      () => cli(["destroy", "-y"], dir, env),
    );
    expectOk(destroyed);
    for (const [fake, match] of DELETES) expect(seen(fake, match), match.source).toBe(true);
    expect(snapshot()).toEqual(EMPTY);
  });

  it.each([
    ["the Worker upload", /^PUT \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/, /workers\/scripts\/pxy\)/],
    ["turning on workers.dev (after the upload)", /^POST \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/subdomain$/, /workers\/scripts\/pxy\/subdomain\)/],
  ])("a persistent 500 at wrangler's call for %s fails naming it, in bounded time; a rerun converges", async (_label, match, apiPath) => {
    const env = cloudEnv(clouds);
    const started = Date.now();
    const failed = await withFaults(
      () => clouds.cf.http.fail(match, { status: 500, times: Number.POSITIVE_INFINITY }),
      () => cli(["deploy"], dir, env),
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(failed.exitCode).toBe(1);
    expect(failed.json.steps).toEqual([
      { name: "provision", status: "done" },
      { name: "deploy", status: "failed" },
    ]);
    expect(failed.json.error.code).toBe("deploy_failed");
    expect(failed.json.error.message).toMatch(/^Deploy stopped at "wrangler deploy \(Cloudflare API \/accounts\/[0-9a-f]+\//);
    expect(failed.json.error.message).toMatch(apiPath);
    expect(failed.json.error.message).toMatch(/\(2 attempts\)/);
    expect(failed.json.error.message).toMatch(/rerun `create-mcp-auth deploy`/);
    // The Worker may exist now (the upload went through before the failure); the state knows it may be ours.
    expect(readState(dir).url).toBeNull();

    const rerun = await cli(["deploy"], dir, env);
    expectOk(rerun);
    expect(rerun.json.url).toBe(url);
    expectDeployed();
    // What a failed run left behind is ours: destroy removes it all.
    await destroyAll();
  });

  it("a 5xx carrying Cloudflare's own error code at the upload, past wrangler's own retries, is rerun; the deploy converges", async () => {
    const upload = /^PUT \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/;
    const envelope = { success: false, errors: [{ code: 10013, message: "An unknown error has occurred" }], messages: [], result: null };
    clouds.cf.http.requests.length = 0;
    const deployed = await withFaults(
      // wrangler (4.x) tries the upload 3 times itself, then gives up with the code; the rerun's upload goes through. With
      // room for 5 reruns the count below holds however many tries a wrangler makes of its own.
      () => clouds.cf.http.fail(upload, { status: 500, times: 3, body: envelope }),
      () => cli(["deploy"], dir, cloudEnv(clouds, { CREATE_MCP_AUTH_HTTP_RETRIES: "5" })),
    );
    expectOk(deployed);
    expect(clouds.cf.http.requests.filter((r) => upload.test(`${r.method} ${r.path}`))).toHaveLength(4);
    expectDeployed();
    await destroyAll();
  });

  it("a `wrangler deploy` that hangs at the upload is stopped at CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS, naming it; a rerun converges", async () => {
    const env = cloudEnv(clouds, { CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS: "20000" });
    const upload = /^PUT \/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/;
    const started = Date.now();
    const failed = await withFaults(
      () => clouds.cf.http.fail(upload, { status: 500, times: Number.POSITIVE_INFINITY, delayMs: 300_000 }),
      () => cli(["deploy"], dir, env),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(20_000);
    expect(elapsed).toBeLessThan(40_000);
    expect(seen("cf", upload)).toBe(true);
    expect(failed.exitCode).toBe(1);
    expect(failed.json.steps).toEqual([
      { name: "provision", status: "done" },
      { name: "deploy", status: "failed" },
    ]);
    expect(failed.json.error.message).toMatch(/^Deploy stopped at "wrangler deploy": it had not finished after 20000 ms and was stopped \(CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS sets this bound\)/);
    expect(failed.json.error.message).toMatch(/rerun `create-mcp-auth deploy`/);
    // Nothing of that wrangler is left running.
    const { stdout } = await execa("ps", ["-eo", "args"]);
    // (Only this project's: other runs on the machine may be deploying their own.)
    expect(stdout.split("\n").filter((line) => line.includes(dir))).toEqual([]);

    const rerun = await cli(["deploy"], dir, cloudEnv(clouds));
    expectOk(rerun);
    expectDeployed();
    await destroyAll();
  });

  it("a persistent 500 registering the deployed /callback fails naming it; a rerun registers it once", async () => {
    const env = cloudEnv(clouds);
    const failed = await withFaults(
      () => clouds.workos.http.fail(/^PUT \/connect\/applications\/[^/]+$/, { status: 500, times: Number.POSITIVE_INFINITY }),
      () => cli(["deploy"], dir, env),
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.json.error.code).toBe("deploy_failed");
    expect(failed.json.error.message).toContain(`Deploy stopped at "WorkOS: add redirect URI ${url}/callback": HTTP 500`);
    // The Worker is deployed and recorded; only WorkOS does not know its URL yet.
    expect(worker()).toBeDefined();
    expect(readState(dir).url).toBe(url);
    expect(application().redirectUris.map((r) => r.uri)).toEqual(["http://localhost:8787/callback"]);

    const rerun = await cli(["deploy"], dir, env);
    expectOk(rerun);
    expect(rerun.json.resources).toContainEqual({ kind: "workos.redirect_uri", name: `${url}/callback`, id: application().id, action: "created" });
    expectDeployed();
    await destroyAll();
  });

  it("a persistent 500 at each delete stops destroy naming the resource, the state file lists what is left; a rerun finishes", async () => {
    const env = cloudEnv(clouds);
    expectOk(await cli(["deploy"], dir, env));
    expectDeployed();
    const listed = () => readState(dir).resources.map((r: { kind: string; name: string }) => `${r.kind} ${r.name}`).sort();
    const all = listed();
    const remaining: [step: string, left: string[]][] = [
      [`Cloudflare: delete Worker ${NAME}`, all],
      [`Cloudflare: delete KV namespace ${NAME}-OAUTH_KV`, all.filter((r: string) => !r.startsWith("cloudflare.worker"))],
      // The Resource Indicator is deleted before the application.
      [`WorkOS: delete OAuth application ${NAME}`, all.filter((r: string) => r.startsWith("workos.") && !r.startsWith("workos.oauth_resource "))],
      ["WorkOS: delete role shop-admin", ["workos.permission shop:admin", "workos.role shop-admin"]],
      ["WorkOS: delete permission shop:admin", ["workos.permission shop:admin"]],
    ];
    for (const [index, [fake, match]] of DELETES.entries()) {
      const [step, left] = remaining[index]!;
      const failed = await withFaults(
        () => clouds[fake].http.fail(match, { status: 500, times: Number.POSITIVE_INFINITY }),
        () => cli(["destroy", "-y"], dir, env),
      );
      expect(failed.exitCode, step).toBe(1);
      expect(failed.json.steps).toEqual([{ name: "destroy", status: "failed" }]);
      expect(failed.json.error.code).toBe("destroy_failed");
      expect(failed.json.error.message).toContain(`Destroy stopped at "${step}": HTTP 500`);
      expect(failed.json.error.message).toContain("rerun `create-mcp-auth destroy`");
      expect(listed(), step).toEqual(left);
    }
    // The Worker went first, so what the state lists is exactly what the stand-ins still hold.
    expect(snapshot()).toEqual({ cf: EMPTY.cf, workos: { ...EMPTY.workos, permissions: ["shop:admin"] } });
    await destroyAll();
  });

  it("never prints or commits a secret", () => {
    expect(secretsSeen.size).toBeGreaterThan(2);
    expectNoSecretLeaks([clouds.cf.apiToken, clouds.workos.apiKey, ...secretsSeen], [dir]);
  });
});
