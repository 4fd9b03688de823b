import fs from "node:fs";
import path from "node:path";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDeployedWorker } from "../fakes/workers-edge.js";
import type { FakeUser } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { cli, cloudEnv, expectNoSecretLeaks, expectOk, readState, resourceActions, startClouds, type Clouds } from "../helpers/provision.js";
import { MCP_MESSAGES, postMcp } from "../helpers/server.js";

// create --deploy and `create-mcp-auth deploy | destroy` with the project's own, real `wrangler deploy` against the Cloudflare
// stand-in (CLOUDFLARE_API_BASE_URL): one installed direct-mode Workers project (a KV namespace from the shop pack, the
// WorkOS API key as a Worker secret, the AuthKit Resource Indicator set to the deployed /mcp URL, and faults at it).
// Proxy mode's deploy is in deploy-proxy.test.ts.

const KIM: FakeUser = { id: "user_KIM", email: "kim@example.com", firstName: "Kim", lastName: "Ng", organizationId: "org_KIM", role: "member", permissions: [] };
let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
beforeAll(async () => {
  work = tempDir("deploy");
  clouds = await startClouds();
});
afterAll(async () => {
  await clouds.close();
  work.cleanup();
});

describe("deploy to Workers with wrangler", () => {
  it("create --deploy provisions, deploys, registers the URL; deploy again converges; destroy undoes it all", async () => {
    const before = { cf: clouds.cf.snapshot(), workos: clouds.workos.snapshot() };
    const env = cloudEnv(clouds, { CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "5000" });
    const created = await cli(["shipped", "-t", "workos", "--target", "workers", "--auth-mode", "direct", "--tools", "whoami,shop", "--no-git", "--deploy"], work.dir, env);
    expectOk(created);
    const dir = path.join(work.dir, "shipped");
    const url = `https://shipped.${clouds.cf.subdomain}.workers.dev`;
    expect(created.json.url).toBe(url);
    expect(created.json.steps).toEqual([
      { name: "render", status: "done" },
      { name: "install", status: "done" },
      { name: "provision", status: "done" },
      { name: "git", status: "skipped" },
      { name: "deploy", status: "done" },
    ]);
    expect(created.json.resources).toEqual(
      expect.arrayContaining([
        { kind: "cloudflare.kv_namespace", name: "shipped-DATA_KV", id: expect.any(String), action: "created" },
        { kind: "cloudflare.worker", name: "shipped", id: "shipped", action: "created" },
        { kind: "cloudflare.worker_secret", name: "WORKOS_API_KEY", id: null, action: "created" },
        { kind: "workos.oauth_resource", name: `${url}/mcp`, id: expect.any(String), action: "created" },
      ]),
    );
    // The summary has the line to paste into an MCP client.
    expect(created.json.nextSteps).toContain(`Claude Code:   claude mcp add --transport http shipped ${url}/mcp`);

    // What wrangler uploaded: the KV id provisioning wrote into wrangler.jsonc, the settings as vars, the key as a secret.
    const worker = clouds.cf.workers.get(`${clouds.cf.accounts[0]!.id}/shipped`)!;
    const kvId = parse(fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8")).kv_namespaces[0].id;
    expect(worker.bindings).toContainEqual(expect.objectContaining({ type: "kv_namespace", name: "DATA_KV", namespace_id: kvId }));
    expect(worker.vars.AUTHKIT_DOMAIN).toBe(clouds.workos.issuer);
    expect(worker.secrets.get("WORKOS_API_KEY")).toBe(clouds.workos.apiKey);
    expect(worker.secrets.get("REQUEST_STATE_KEY")).toMatch(/^[0-9a-f]{64}$/); // generated: signs the shop's confirmations
    expect(worker.workersDev).toBe(true);
    expect([...clouds.workos.provisioning.oauthResources.values()].map((r) => r.uri)).toEqual([`${url}/mcp`]);
    expect(readState(dir)).toMatchObject({ url, accountId: clouds.cf.accounts[0]!.id, pending: [] });

    // Deploy again: the Worker exists, so secrets go to it first (the SDK), then wrangler uses the versions API.
    const again = await cli(["deploy"], dir, env);
    expectOk(again);
    expect(again.json.url).toBe(url);
    const actions = resourceActions(again);
    expect(actions).toMatchObject({
      "cloudflare.kv_namespace shipped-DATA_KV": "reused",
      "cloudflare.worker shipped": "reused",
      "cloudflare.worker_secret WORKOS_API_KEY": "reused",
      [`workos.oauth_resource ${url}/mcp`]: "reused",
    });
    expect(clouds.cf.workers.get(`${clouds.cf.accounts[0]!.id}/shipped`)!.deployments).toBe(2);
    expect(clouds.cf.snapshot().kvNamespaces).toEqual([`${clouds.cf.accounts[0]!.id}/shipped-DATA_KV`]);
    expect(clouds.cf.http.requests.some((r) => r.method === "PUT" && r.path.endsWith("/workers/scripts/shipped/secrets"))).toBe(true);

    // The deployed Worker (the code wrangler uploaded, at its https workers.dev URL) takes AuthKit tokens whose audience is
    // the Resource Indicator deploy set, and challenges everything else towards its own metadata.
    const edge = await serveDeployedWorker(clouds.cf.workers.get(`${clouds.cf.accounts[0]!.id}/shipped`)!, url, dir);
    try {
      const call = (token?: string) => postMcp(`${url}/mcp`, MCP_MESSAGES.callTool("whoami"), { token, fetch: edge.fetch });
      const anonymous = await call();
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`);
      const elsewhere = await call(await clouds.workos.mintAccessToken(KIM, "https://elsewhere.example/mcp"));
      expect(elsewhere.status).toBe(401);
      const answered = await call(await clouds.workos.mintAccessToken(KIM, `${url}/mcp`));
      expect(answered.status).toBe(200);
      expect(await answered.text()).toContain(KIM.email);
    } finally {
      await edge.close();
    }

    const destroyed = await cli(["destroy", "-y"], dir, env);
    expectOk(destroyed);
    expect(destroyed.json.url).toBeNull();
    expect({ cf: clouds.cf.snapshot(), workos: clouds.workos.snapshot() }).toEqual(before);

    expectNoSecretLeaks([clouds.cf.apiToken, clouds.workos.apiKey], [dir]);
  });

  it("a persistent 500 setting the Resource Indicator after deploy fails naming it; a rerun (through 429s) sets it once", async () => {
    const dir = path.join(work.dir, "shipped");
    const url = `https://shipped.${clouds.cf.subdomain}.workers.dev`;
    const before = { cf: clouds.cf.snapshot(), workos: clouds.workos.snapshot() };
    const env = cloudEnv(clouds);
    clouds.workos.http.fail(/^GET \/user_management\/authkit_oauth_resources$/, { status: 429, times: 1 });
    clouds.workos.http.fail(/^POST \/user_management\/authkit_oauth_resources$/, { status: 500, times: Number.POSITIVE_INFINITY });
    let failed;
    try {
      failed = await cli(["deploy"], dir, env);
    } finally {
      clouds.workos.http.clearFaults();
    }
    expect(failed.exitCode).toBe(1);
    expect(failed.json.steps).toEqual([
      { name: "provision", status: "done" },
      { name: "deploy", status: "failed" },
    ]);
    expect(failed.json.error.code).toBe("deploy_failed");
    expect(failed.json.error.message).toContain(`Deploy stopped at "WorkOS: set the AuthKit resource indicator ${url}/mcp": HTTP 500`);
    // The Worker is deployed and recorded; only AuthKit does not know its URL yet.
    expect(readState(dir).url).toBe(url);
    expect(clouds.workos.snapshot().oauthResources).toEqual([]);

    clouds.workos.http.fail(/^POST \/user_management\/authkit_oauth_resources$/, { status: 429, times: 1 });
    let rerun;
    try {
      rerun = await cli(["deploy"], dir, env);
    } finally {
      clouds.workos.http.clearFaults();
    }
    expectOk(rerun);
    expect(rerun.json.resources).toContainEqual({ kind: "workos.oauth_resource", name: `${url}/mcp`, id: expect.any(String), action: "created" });
    expect(clouds.workos.snapshot().oauthResources).toEqual([`${url}/mcp`]);
    expect(clouds.workos.http.requests.filter((r) => r.method === "POST" && r.path === "/user_management/authkit_oauth_resources").length).toBeGreaterThanOrEqual(4);

    // Destroy stops at a Resource Indicator it cannot delete, naming it, and the state still lists it; a rerun finishes.
    clouds.workos.http.fail(/^DELETE \/user_management\/authkit_oauth_resources\/[^/]+$/, { status: 500, times: Number.POSITIVE_INFINITY });
    let stopped;
    try {
      stopped = await cli(["destroy", "-y"], dir, env);
    } finally {
      clouds.workos.http.clearFaults();
    }
    expect(stopped.exitCode).toBe(1);
    expect(stopped.json.error.code).toBe("destroy_failed");
    expect(stopped.json.error.message).toContain(`Destroy stopped at "WorkOS: delete AuthKit resource ${url}/mcp": HTTP 500`);
    expect(readState(dir).resources.map((r: { kind: string; name: string }) => `${r.kind} ${r.name}`)).toContain(`workos.oauth_resource ${url}/mcp`);
    expect(clouds.workos.snapshot().oauthResources).toEqual([`${url}/mcp`]);
    expectOk(await cli(["destroy", "-y"], dir, env));
    expect({ cf: clouds.cf.snapshot(), workos: clouds.workos.snapshot() }).toEqual(before);
  });

  it("a Worker secret cannot be set before the Worker exists (as on the real API)", async () => {
    const response = await fetch(`${clouds.cf.apiBase}/accounts/${clouds.cf.accounts[0]!.id}/workers/scripts/nothing-here/secrets`, {
      method: "PUT",
      headers: { authorization: `Bearer ${clouds.cf.apiToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "X", text: "y", type: "secret_text" }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ success: false, errors: [{ code: 10007 }] });
  });
});
