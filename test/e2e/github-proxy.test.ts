import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubAccount, type GitHubFake, startGitHubFake } from "../fakes/github.js";
import { serveDeployedWorker } from "../fakes/workers-edge.js";
import { tempDir } from "../helpers/cli.js";
import { cli, cloudEnv, cloudSnapshot, EMPTY_CLOUDS, expectNoSecretLeaks, expectOk, resourceActions, startClouds } from "../helpers/provision.js";
import { generate, projectScript } from "../helpers/project.js";
import { authorizeNewAgent, connectWithSignIn, CookieJar, MemoryOAuthProvider, signedInAgent, tokenRequest } from "../helpers/proxy-oauth.js";
import { CONFIRMS, freePort, MCP_MESSAGES, postMcp, toolJsonOf, type RunningServer, startDevServer, toolJson } from "../helpers/server.js";

// The GitHub template (proxy mode, Workers): the generated server is its own OAuth server and signs people in through a
// GitHub OAuth app — here a local stand-in shaped like GitHub's web flow and REST API. The MCP SDK client runs the whole
// flow (registration, PKCE, consent page, GitHub, callback, token); then identity, GITHUB_ADMINS, refresh against
// GitHub (a revoked app loses the grant), a refused sign-in, and the challenges for bad tokens.
const ADA: GitHubAccount = {
  id: 583231,
  login: "ada-l",
  name: "Ada Lovelace",
  publicEmail: null,
  emails: [
    { email: "old@example.com", primary: false, verified: true },
    { email: "ada@example.com", primary: true, verified: true },
  ],
};
const GRACE: GitHubAccount = { id: 9919, login: "GraceH", name: null, publicEmail: null, emails: [{ email: "grace@example.com", primary: true, verified: true }] };
/** Took a login that is GRACE's admin id, in digits, and shows an address GitHub never verified. */
const MALLORY: GitHubAccount = { id: 31337, login: "9919", name: "Mallory", publicEmail: "mallory@example.com", emails: [{ email: "mallory@example.com", primary: true, verified: false }] };
/** Verified, in the allowed domain, no permissions. */
const BOB: GitHubAccount = { id: 4242, login: "bob", name: "Bob", publicEmail: null, emails: [{ email: "bob@example.com", primary: true, verified: true }] };

const ADAS_ORDER = { size: "L", name: "Ada Lovelace", company: "", address: "12 Analytical Row, London" };
let work: ReturnType<typeof tempDir>;
let github: GitHubFake;
let server: RunningServer;
let dir: string;
let origin: string;
let mcp: string;

beforeAll(async () => {
  work = tempDir("github-proxy");
  const project = await generate(work.dir, "gh-app", ["-t", "github", "--target", "workers", "--tools", "whoami,shop,admin"]);
  expect(project.json).toMatchObject({ template: "github", authMode: "proxy", target: "workers" });
  dir = project.dir;
  await projectScript(dir, "typecheck");
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  mcp = `${origin}/mcp`;
  github = await startGitHubFake(`${origin}/callback`);
  server = await startDevServer(
    dir,
    {
      GITHUB_URL: github.url,
      GITHUB_API_URL: github.url,
      GITHUB_CLIENT_ID: github.app.clientId,
      GITHUB_CLIENT_SECRET: github.app.clientSecret,
      GITHUB_ADMINS: String(GRACE.id), // numeric ids: a login can change hands
      ALLOWED_EMAIL_DOMAINS: "example.com",
      COOKIE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    },
    port,
  );
});
afterAll(async () => {
  await server?.stop();
  await github?.close();
  work?.cleanup();
});

describe("GitHub template (proxy mode on Workers)", () => {
  it("signs a person in through GitHub with the MCP client; whoami names their account, verified email and the agent", async () => {
    github.signInAs(ADA);
    const provider = new MemoryOAuthProvider(undefined, "GitHub agent");
    const client = await connectWithSignIn(mcp, provider, new CookieJar());
    expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toEqual({
      kind: "person",
      user: { id: String(ADA.id), email: "ada@example.com", email_verified: true, name: "Ada Lovelace" },
      organization: null,
      role: null,
      permissions: [],
      permission_sources: {},
      client_id: provider.client!.client_id,
      client_name: "GitHub agent",
      scopes: ["mcp"],
      expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    // GitHub's token stays on the server: the agent holds only this server's tokens.
    const saved = JSON.stringify(provider.savedTokens);
    expect(saved).not.toMatch(/gho_/);
    // A 2025-era client cannot ask her to confirm the order: it gets a link to the server's confirmation page instead.
    expect(toolJson(await client.callTool({ name: "order_shirt", arguments: ADAS_ORDER }))).toMatchObject({ error: "confirmation_required", confirmation_url: expect.stringContaining("/confirm/") });
    await client.close();
  });

  it("runs the whole flow with the SDK v2 client pinned to 2026-07-28, with the same identity", async () => {
    github.signInAs(ADA);
    const provider = new MemoryOAuthProvider(undefined, "Modern GitHub agent");
    const client = await connectWithSignIn(mcp, provider, new CookieJar(), undefined, "2026-07-28", CONFIRMS);
    expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
      kind: "person",
      user: { id: String(ADA.id), email: "ada@example.com", email_verified: true },
      client_id: provider.client!.client_id,
    });
    // This client asks her, and she confirms: the order is placed.
    expect(toolJson(await client.callTool({ name: "order_shirt", arguments: ADAS_ORDER }))).toMatchObject({ status: "placed" });
    await client.close();
  });

  it("gives the accounts in GITHUB_ADMINS every permission the tools check", async () => {
    github.signInAs(GRACE);
    // Her agent asks for the permission scopes (a token carries only what its grant was given), and she leaves them ticked.
    const agent = await signedInAgent(origin, "Grace's agent", undefined, "mcp shop:admin admin:grants");
    const call = async (name: string) => toolJsonOf(await postMcp(mcp, MCP_MESSAGES.callTool(name), { token: agent.access_token }));
    const whoami = await call("whoami");
    expect(whoami).toMatchObject({ user: { id: String(GRACE.id), email: "grace@example.com", name: "GraceH" }, role: "admin" });
    expect([...(whoami.permissions as string[])].sort()).toEqual(["admin:grants", "shop:admin"]);
    expect(whoami.permission_sources).toEqual({ "shop:admin": "admins", "admin:grants": "admins" });
    // shop:admin: every person's orders, Ada's included.
    const all = (await call("list_orders")) as { orders: { owner: string }[] };
    expect(all.orders.map((o) => o.owner)).toContain(String(ADA.id));
  });

  it("grants no permission for asking: scopes a person does not hold are dropped and admin tools refuse them", async () => {
    github.signInAs(BOB);
    const agent = await signedInAgent(origin, "Greedy agent", undefined, "mcp offline_access shop:admin admin:grants made:up");
    expect(agent.scope.split(" ").sort()).toEqual(["mcp", "offline_access"]);
    const call = async (name: string, args: Record<string, unknown> = {}) =>
      toolJsonOf(await postMcp(mcp, MCP_MESSAGES.callTool(name, args), { token: agent.access_token }));
    expect(await call("whoami")).toMatchObject({ role: null, permissions: [], permission_sources: {}, scopes: ["mcp", "offline_access"] });
    expect(await call("list_grants", { user_id: String(ADA.id) })).toMatchObject({ error: "permission_denied", permission: "admin:grants" });
    const own = (await call("list_orders")) as { orders: { owner: string }[] };
    expect(own.orders.every((o) => o.owner === String(BOB.id))).toBe(true);
  });

  it("checks GITHUB_ADMINS by account id: a login that spells an admin's id holds nothing", async () => {
    github.signInAs({ ...MALLORY, emails: [{ email: "mallory@example.com", primary: true, verified: true }] });
    const agent = await signedInAgent(origin, "Impostor agent", undefined, "mcp shop:admin admin:grants");
    const identity = await toolJsonOf(await postMcp(mcp, MCP_MESSAGES.callTool("whoami"), { token: agent.access_token }));
    expect(identity).toMatchObject({ user: { id: String(MALLORY.id) }, role: null, permissions: [] });
  });

  it("counts only a verified email for ALLOWED_EMAIL_DOMAINS, and says so on a page at sign-in, granting nothing", async () => {
    github.signInAs(MALLORY);
    const refused = await authorizeNewAgent(origin, "Unverified agent");
    if ("redirect" in refused) throw new Error(`not refused: ${refused.redirect}`);
    expect(refused.response.status).toBe(403);
    expect(refused.html).toMatch(/<title>This account cannot use this server<\/title>/);
    expect(refused.html).toMatch(/<p id="problem">mallory@example\.com is not verified by the sign-in provider[^<]*31337[^<]*<\/p>/);
    expect(refused.html).toContain('<p id="advice">To use another account, sign out of GitHub, then start connecting again from your app.</p>');
  });

  it("asks GitHub again at each refresh: a person who revoked the app loses the grant and its tokens", async () => {
    github.signInAs(ADA);
    const agent = await signedInAgent(origin, "Refreshing agent");
    const refreshed = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(github.http.requests.filter((r) => r.path === "/user").length).toBeGreaterThanOrEqual(2); // sign-in, then refresh

    github.revokeAccess(ADA.login);
    const refused = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: next.refresh_token, client_id: agent.clientId });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/GitHub no longer accepts this sign-in/) });
    const after = await postMcp(mcp, MCP_MESSAGES.toolsList, { token: next.access_token });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it("keeps the grant when GitHub is briefly down during a refresh (503 with Retry-After, then it works)", async () => {
    github.signInAs(ADA);
    const agent = await signedInAgent(origin, "Patient agent");
    github.http.fail(/^GET \/user$/, { status: 502, times: 1 });
    const down = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBeTruthy();
    const again = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
    expect(again.status).toBe(200);
  });

  it("sends the agent access_denied, and grants nothing, when the person cancels at GitHub or GitHub refuses the code", async () => {
    for (const [cancel, label] of [
      [true, "cancelled"],
      [false, "refused"],
    ] as const) {
      github.signInAs(cancel ? null : ADA);
      if (!cancel) github.http.fail(/^POST \/login\/oauth\/access_token$/, { status: 200, times: 1, body: { error: "bad_verification_code" } });
      const provider = new MemoryOAuthProvider(undefined, `Agent ${label}`);
      const failed = await connectWithSignIn(mcp, provider, new CookieJar()).then(
        () => "connected",
        (error: Error) => error.message,
      );
      github.http.clearFaults();
      expect(failed, label).toMatch(/no code in http:\/\/127\.0\.0\.1:9\/agent-callback\?error=access_denied/);
      expect(provider.savedTokens, label).toBeUndefined();
    }
  });

  it("answers a missing, garbled or query-string token with 401 and the metadata URL", async () => {
    github.signInAs(ADA);
    const { access_token } = await signedInAgent(origin, "Query agent");
    const metadata = `resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`;
    for (const [label, response] of [
      ["missing", await postMcp(mcp, MCP_MESSAGES.initialize)],
      ["garbled", await postMcp(mcp, MCP_MESSAGES.initialize, { token: "not-a-token" })],
      ["in the query string", await postMcp(`${mcp}?access_token=${encodeURIComponent(access_token)}`, MCP_MESSAGES.initialize)],
    ] as const) {
      expect(response.status, label).toBe(401);
      expect(response.headers.get("www-authenticate"), label).toContain(metadata);
    }
  });

  it("does not redirect to a callback GitHub does not know (the stand-in is as strict as GitHub)", async () => {
    const answer = await fetch(`${github.url}/login/oauth/authorize?client_id=${github.app.clientId}&redirect_uri=${encodeURIComponent("https://evil.example/callback")}`, { redirect: "manual" });
    expect(answer.status).toBe(400);
  });

  it("passes its own test suite", async () => {
    await projectScript(dir, "test");
  });

  it("provisions and deploys with wrangler; after the one manual step, people sign in through the deployed Worker", async () => {
    await server.stop(); // the rest works on the project's files, which a running `wrangler dev` would reload
    const clouds = await startClouds();
    try {
      const url = `https://gh-app.${clouds.cf.subdomain}.workers.dev`;
      const missing = await cli(["provision"], dir, cloudEnv(clouds));
      expect(missing.exitCode).toBe(2);
      expect(missing.json.error.message).toMatch(/^Provisioning needs GITHUB_CLIENT_ID in the environment: Client ID of your GitHub OAuth app/);
      expect(clouds.cf.snapshot()).toEqual(EMPTY_CLOUDS.cf);

      const env = cloudEnv(clouds, { GITHUB_CLIENT_ID: github.app.clientId, GITHUB_CLIENT_SECRET: github.app.clientSecret, GITHUB_URL: github.url, GITHUB_API_URL: github.url });
      const deployed = await cli(["deploy"], dir, env);
      expectOk(deployed);
      expect(deployed.json.url).toBe(url);
      expect(resourceActions(deployed)).toMatchObject({
        "cloudflare.kv_namespace gh-app-OAUTH_KV": "created",
        "generated_secret COOKIE_ENCRYPTION_KEY": "created",
        "cloudflare.worker gh-app": "created",
        "cloudflare.worker_secret GITHUB_CLIENT_SECRET": "created",
      });
      expect(deployed.json.nextSteps).toContain(
        `One manual step (GitHub has no API for it): github.com → Settings → Developer settings → OAuth Apps → your app: set the Authorization callback URL to ${url}/callback`,
      );
      const worker = clouds.cf.workers.get(`${clouds.cf.accounts[0]!.id}/gh-app`)!;
      expect(worker.vars.GITHUB_CLIENT_ID).toBe(github.app.clientId);
      expect(worker.secrets.get("GITHUB_CLIENT_SECRET")).toBe(github.app.clientSecret);

      // The manual step, then a person signs in through the deployed code at its https workers.dev URL.
      github.app.callbackUrl = `${url}/callback`;
      const edge = await serveDeployedWorker(worker, url, dir);
      edge.install();
      try {
        github.signInAs(ADA);
        const agent = await connectWithSignIn(`${url}/mcp`, new MemoryOAuthProvider(undefined, "Deployed agent"), new CookieJar());
        expect(toolJson(await agent.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ kind: "person", user: { id: String(ADA.id), email: "ada@example.com" } });
        await agent.close();
      } finally {
        await edge.close();
      }

      expectOk(await cli(["destroy", "-y"], dir, env));
      expect(cloudSnapshot(clouds)).toEqual({ ...EMPTY_CLOUDS, workos: cloudSnapshot(clouds).workos });
      expectNoSecretLeaks([github.app.clientSecret, clouds.cf.apiToken], [dir]);
    } finally {
      await clouds.close();
    }
  });
});
