import fs from "node:fs";
import path from "node:path";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDeployedWorker } from "../fakes/workers-edge.js";
import type { FakeUser } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { connectWithSignIn, CookieJar, MemoryOAuthProvider } from "../helpers/proxy-oauth.js";
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
import { startDevServer, toolJson } from "../helpers/server.js";

// Proxy mode signing people in through the environment's AuthKit client (`--workos-client environment`) instead of an OAuth
// application of its own: provisioning registers `<origin>/callback` among the environment's redirect URIs
// (/user_management/redirect_uris), deploy adds the deployed one, and destroy removes exactly those it added. The sign-in
// runs through the project's own `npm run dev` on the port the registered URI names, with the settings provisioning wrote.

const NAME = "envc";
const LOCAL_CALLBACK = "http://localhost:8787/callback";
const MAE: FakeUser = { id: "user_MAE", email: "mae@example.com", firstName: "Mae", lastName: "Ito", organizationId: "org_MAE", role: "member", permissions: [] };
let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
let dir: string;
let url: string;

beforeAll(async () => {
  work = tempDir("deploy-envc");
  clouds = await startClouds();
  url = `https://${NAME}.${clouds.cf.subdomain}.workers.dev`;
  const created = await cli(
    [NAME, "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami", "--workos-client", "environment", "--no-git"],
    work.dir,
    cloudEnv(clouds),
  );
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
const wrangler = () => parse(fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8"));
const stamp = () => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))["create-mcp-auth"];
const devVar = (name: string) => fs.readFileSync(path.join(dir, ".dev.vars"), "utf8").match(new RegExp(`^${name}=(.+)$`, "m"))?.[1];
const worker = () => clouds.cf.workers.get(`${clouds.cf.accounts[0]!.id}/${NAME}`);
const envWith = (extra: Record<string, string | undefined> = {}) => cloudEnv(clouds, { WORKOS_CLIENT_ID: clouds.workos.clientId, ...extra });

describe("proxy mode through the environment's AuthKit client", () => {
  it("CI without WORKOS_CLIENT_ID exits 2 naming it, before creating anything", async () => {
    const refused = await cli(["provision"], dir, cloudEnv(clouds, { WORKOS_CLIENT_ID: undefined }));
    expect(refused.exitCode).toBe(2);
    expect(refused.json.error.message).toMatch(/needs WORKOS_CLIENT_ID in the environment: the environment's client ID \(WorkOS dashboard → API Keys\)/);
    expect(snapshot()).toEqual(EMPTY);
    expect(fs.existsSync(path.join(dir, ".create-mcp-auth/state.json"))).toBe(false);
  });

  it("registers the local callback with the environment, signs a person in through it, deploys, and destroy undoes it", async () => {
    const provisioned = await cli(["provision"], dir, envWith());
    expectOk(provisioned);
    expect(actions(provisioned)).toEqual({
      [`cloudflare.kv_namespace ${NAME}-OAUTH_KV`]: "created",
      [`cloudflare.kv_namespace ${NAME}-DATA_KV`]: "created", // the audit trail's records
      "generated_secret COOKIE_ENCRYPTION_KEY": "created",
      [`workos.redirect_uri ${LOCAL_CALLBACK}`]: "created",
    });
    expect(snapshot().workos).toEqual({ ...EMPTY.workos, redirectUris: [LOCAL_CALLBACK] });
    expect(wrangler().vars).toMatchObject({ WORKOS_CLIENT_ID: clouds.workos.clientId, WORKOS_APP_CLIENT_ID: "" });
    expect(wrangler().secrets.required).toEqual(["WORKOS_API_KEY", "COOKIE_ENCRYPTION_KEY"]);

    // The project's own dev server, on the port the registered redirect URI names, with nothing but what provisioning wrote.
    const server = await startDevServer(dir, {}, 8787);
    try {
      clouds.workos.signInAs(MAE);
      // startDevServer waited on 127.0.0.1; the person signs in as localhost, the origin the registered URI names.
      const client = await connectWithSignIn("http://localhost:8787/mcp", new MemoryOAuthProvider(undefined, "Env agent"), new CookieJar());
      expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
        kind: "person",
        user: { id: MAE.id, email: MAE.email, name: "Mae Ito" },
        organization: MAE.organizationId,
      });
      await client.close();
    } finally {
      // Stopped before deploy and destroy rewrite the project's files, which `wrangler dev` would reload mid-flow.
      await server.stop();
    }

    const deployed = await cli(["deploy"], dir, envWith());
    expectOk(deployed);
    expect(deployed.json.url).toBe(url);
    const created = Object.entries(actions(deployed)).filter(([, action]) => action === "created").map(([name]) => name);
    expect(created.sort()).toEqual([
      `cloudflare.worker ${NAME}`,
      "cloudflare.worker_secret COOKIE_ENCRYPTION_KEY",
      "cloudflare.worker_secret WORKOS_API_KEY",
      `workos.oauth_resource ${url}/mcp`,
      `workos.redirect_uri ${url}/callback`,
    ]);
    expect(snapshot().workos).toEqual({ ...EMPTY.workos, redirectUris: [LOCAL_CALLBACK, `${url}/callback`].sort(), oauthResources: [`${url}/mcp`] });
    expect(worker()!.vars).toMatchObject({ WORKOS_CLIENT_ID: clouds.workos.clientId, WORKOS_APP_CLIENT_ID: "" });
    expect([...worker()!.secrets.keys()].sort()).toEqual(["COOKIE_ENCRYPTION_KEY", "WORKOS_API_KEY"]);

    // The deployed Worker signs people in through the environment's client too: AuthKit sends them back to <url>/callback.
    const edge = await serveDeployedWorker(worker()!, url, dir);
    edge.install();
    try {
      const deployedAgent = await connectWithSignIn(`${url}/mcp`, new MemoryOAuthProvider(undefined, "Env agent"), new CookieJar());
      expect(toolJson(await deployedAgent.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ kind: "person", user: { id: MAE.id } });
      await deployedAgent.close();
    } finally {
      await edge.close();
    }

    const again = await cli(["deploy"], dir, envWith());
    expectOk(again);
    expect(Object.entries(actions(again)).filter(([, action]) => action !== "reused")).toEqual([]);
    expect(snapshot().workos.redirectUris).toHaveLength(2);

    // AuthKit sends the browser back to a registered callback, and once destroy removed it, refuses to.
    const authorizeLocally = () =>
      fetch(`${clouds.workos.url}/user_management/authorize?${new URLSearchParams({ client_id: clouds.workos.clientId, redirect_uri: LOCAL_CALLBACK, response_type: "code", provider: "authkit", state: "s" })}`, {
        redirect: "manual",
      });
    expect((await authorizeLocally()).status).toBe(302);
    expectOk(await cli(["destroy", "-y"], dir, envWith()));
    expect(snapshot()).toEqual(EMPTY);
    const refused = await authorizeLocally();
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("redirect_uri is not registered for this client");
  });

  it("switches to an application of its own and back; a redirect URI that was there before is left alone", async () => {
    clouds.workos.provisioning.redirectUris.set("redirect_uri_theirs", { id: "redirect_uri_theirs", uri: LOCAL_CALLBACK, default: true });

    const own = await cli(["provision", "--workos-client", "app"], dir, envWith());
    expectOk(own);
    expect(actions(own)).toMatchObject({ [`workos.oauth_application ${NAME}`]: "created", [`workos.client_secret ${NAME} client secret`]: "created" });
    expect(stamp()).not.toHaveProperty("workosClient");
    const app = [...clouds.workos.provisioning.applications.values()].find((a) => a.name === NAME)!;
    expect(wrangler().vars).toMatchObject({ WORKOS_CLIENT_ID: "", WORKOS_APP_CLIENT_ID: app.clientId });
    expect(wrangler().secrets.required).toEqual(["WORKOS_APP_CLIENT_SECRET", "COOKIE_ENCRYPTION_KEY"]);
    expect(devVar("WORKOS_APP_CLIENT_SECRET")).toBe([...app.secrets.values()][0]);

    const back = await cli(["provision", "--workos-client", "environment"], dir, envWith());
    expectOk(back);
    expect(actions(back)[`workos.redirect_uri ${LOCAL_CALLBACK}`]).toBe("reused");
    expect(stamp().workosClient).toBe("environment");
    expect(wrangler().vars).toMatchObject({ WORKOS_CLIENT_ID: clouds.workos.clientId, WORKOS_APP_CLIENT_ID: "" });
    expect(wrangler().secrets.required).toEqual(["WORKOS_API_KEY", "COOKIE_ENCRYPTION_KEY"]);
    expect(readState(dir).resources).toContainEqual({ kind: "workos.redirect_uri", name: LOCAL_CALLBACK, id: "redirect_uri_theirs", created: false });

    // The application made while switching is this project's: destroy removes it, and leaves the environment's own URI.
    const destroyed = await cli(["destroy", "-y"], dir, envWith());
    expectOk(destroyed);
    expect(actions(destroyed)[`workos.redirect_uri ${LOCAL_CALLBACK}`]).toBe("skipped");
    expect(snapshot()).toEqual({ ...EMPTY, workos: { ...EMPTY.workos, redirectUris: [LOCAL_CALLBACK] } });
    clouds.workos.provisioning.redirectUris.clear();
  });

  it("a 429 at each call of the environment client's redirect URIs is retried; a persistent 500 names the call, a rerun converges", async () => {
    const list = /^GET \/user_management\/redirect_uris$/;
    const add = /^POST \/user_management\/redirect_uris$/;
    clouds.workos.http.requests.length = 0;
    clouds.workos.http.fail(list, { status: 429, times: 1 });
    clouds.workos.http.fail(add, { status: 429, times: 1 });
    try {
      expectOk(await cli(["provision"], dir, envWith()));
    } finally {
      clouds.workos.http.clearFaults();
    }
    const calls = (match: RegExp) => clouds.workos.http.requests.filter((r) => match.test(`${r.method} ${r.path}`)).length;
    expect([calls(list), calls(add)]).toEqual([2, 2]);
    expect(snapshot().workos.redirectUris).toEqual([LOCAL_CALLBACK]);
    expectOk(await cli(["destroy", "-y"], dir, envWith()));

    clouds.workos.http.fail(add, { status: 500, times: Number.POSITIVE_INFINITY });
    let failed;
    try {
      failed = await cli(["provision"], dir, envWith());
    } finally {
      clouds.workos.http.clearFaults();
    }
    expect(failed.exitCode).toBe(1);
    expect(failed.json.error.message).toContain(`Provisioning stopped at "WorkOS: add redirect URI ${LOCAL_CALLBACK}": HTTP 500`);
    expect(snapshot().workos.redirectUris).toEqual([]);
    const rerun = await cli(["provision"], dir, envWith());
    expectOk(rerun);
    expect(actions(rerun)[`workos.redirect_uri ${LOCAL_CALLBACK}`]).toBe("created");
    expect(snapshot().workos.redirectUris).toEqual([LOCAL_CALLBACK]);
    expectOk(await cli(["destroy", "-y"], dir, envWith()));
    expect(snapshot()).toEqual(EMPTY);
  });

  it("a persistent 500 deleting an environment redirect URI stops destroy naming it; a rerun finishes", async () => {
    expectOk(await cli(["provision"], dir, envWith()));
    const failed = await (async () => {
      clouds.workos.http.fail(/^DELETE \/user_management\/redirect_uris\/[^/]+$/, { status: 500, times: Number.POSITIVE_INFINITY });
      try {
        return await cli(["destroy", "-y"], dir, envWith());
      } finally {
        clouds.workos.http.clearFaults();
      }
    })();
    expect(failed.exitCode).toBe(1);
    expect(failed.json.error.code).toBe("destroy_failed");
    expect(failed.json.error.message).toContain(`Destroy stopped at "WorkOS: delete redirect URI ${LOCAL_CALLBACK}": HTTP 500`);
    expect(readState(dir).resources.map((r: { kind: string; name: string }) => `${r.kind} ${r.name}`)).toEqual([`workos.redirect_uri ${LOCAL_CALLBACK}`]);
    expect(snapshot()).toEqual({ ...EMPTY, workos: { ...EMPTY.workos, redirectUris: [LOCAL_CALLBACK] } });

    expectOk(await cli(["destroy", "-y"], dir, envWith()));
    expect(snapshot()).toEqual(EMPTY);
  });

  it("--workos-client is refused where it means nothing, naming why", async () => {
    const onDestroy = await cli(["destroy", "-y", "--workos-client", "app"], dir, envWith());
    expect(onDestroy.exitCode).toBe(2);
    expect(onDestroy.json.error.message).toMatch(/--workos-client belongs to provision and deploy/);
    const direct = await cli(["x", "-t", "workos", "--target", "node", "--workos-client", "environment", "--no-install", "--no-git"], work.dir, envWith());
    expect(direct.exitCode).toBe(2);
    expect(direct.json.error.message).toMatch(/needs --template workos --auth-mode proxy/);
    expect(fs.existsSync(path.join(work.dir, "x"))).toBe(false);
  });

  it("never prints or commits a secret", () => {
    expectNoSecretLeaks([clouds.cf.apiToken, clouds.workos.apiKey, devVar("COOKIE_ENCRYPTION_KEY")!], [dir]);
  });
});
