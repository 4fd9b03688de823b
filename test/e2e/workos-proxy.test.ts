import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADA, startWorkosFake, type FakeUser, type WorkosFake } from "../fakes/workos.js";
import { addAgent, serviceToken } from "../helpers/agents.js";
import { tempDir } from "../helpers/cli.js";
import { generate, projectScript } from "../helpers/project.js";
import {
  authorizeUrl,
  browse,
  connectWithSignIn,
  CookieJar,
  followUntil,
  MemoryOAuthProvider,
  openAuthorization,
  startProxyServer,
  pkce,
  registerClient,
  signedInAgent,
  submitConsent,
  tokenRequest,
  type ConsentPage,
} from "../helpers/proxy-oauth.js";
import { connectMcp, type RunningServer, reboundRequest, toolJson, MCP_MESSAGES, postMcp, type McpClient } from "../helpers/server.js";

// WorkOS proxy mode on Workers, end to end: the built CLI → install → typecheck → `npm run dev` (real wrangler dev)
// against the local WorkOS stand-in → the MCP SDK client's whole OAuth flow (discovery, DCR, PKCE, consent,
// upstream sign-in, callback, token) → tools, refresh rotation, revocation, and the project's own tests.


let work: ReturnType<typeof tempDir>;
let projectDir: string;
let fake: WorkosFake;
let server: RunningServer;
let origin: string;
let mcpUrl: string;
let app: { clientId: string; clientSecret: string };

beforeAll(async () => {
  work = tempDir("workos-proxy");
  const project = await generate(work.dir, "proxy-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,shop"]);
  projectDir = project.dir;
  expect(project.json.authMode).toBe("proxy");
  await projectScript(projectDir, "typecheck");
  fake = await startWorkosFake([ADA]);
  ({ server, origin, mcpUrl, app } = await startProxyServer(projectDir, fake));
});

let serverStopped = false;
async function stopServer() {
  if (serverStopped) return; // the helper waits for an exit event that only comes once
  serverStopped = true;
  await server?.stop();
}

afterAll(async () => {
  await stopServer();
  await fake?.close();
  work?.cleanup();
});

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/;

describe("workos proxy mode on workers", () => {
  let provider: MemoryOAuthProvider;
  let client: McpClient;

  it("signs in through the whole OAuth flow and whoami names the person and the agent, with no token", async () => {
    provider = new MemoryOAuthProvider();
    client = await connectWithSignIn(mcpUrl, provider, new CookieJar());
    const result = await client.callTool({ name: "whoami", arguments: {} });
    const whoami = toolJson(result);
    const agentId = provider.client!.client_id;
    expect(whoami).toMatchObject({
      kind: "person",
      user: { id: ADA.id, email: ADA.email, name: "Ada Lovelace" },
      organization: ADA.organizationId,
      role: ADA.role,
      // She holds shop:admin and audit:read, but the SDK asked only for `mcp` (the 401's scope): no permission granted.
      permissions: [],
      client_id: agentId,
      scopes: ["mcp"],
    });
    expect(Date.parse(whoami.expires_at as string)).toBeGreaterThan(Date.now());
    const text = JSON.stringify(result);
    expect(text).not.toMatch(JWT_LIKE);
    expect(text).not.toContain(provider.savedTokens!.access_token);
    expect(text).not.toContain(provider.savedTokens!.refresh_token!);
    expect(server.output()).not.toContain(provider.savedTokens!.access_token);
  });

  it("runs the whole OAuth flow with the SDK v2 client pinned to 2026-07-28 (it checks the callback's iss), with the same identity", async () => {
    const modern = new MemoryOAuthProvider(undefined, "Modern agent");
    const modernClient = await connectWithSignIn(mcpUrl, modern, new CookieJar(), undefined, "2026-07-28");
    expect(toolJson(await modernClient.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
      kind: "person",
      user: { id: ADA.id, email: ADA.email, email_verified: true },
      permissions: [],
      client_id: modern.client!.client_id,
    });
    await modernClient.close();
  });

  it("rotates refresh tokens: the old one is refused once its successor was used, and the sign-in is refreshed upstream", async () => {
    const agentId = provider.client!.client_id;
    const first = provider.savedTokens!.refresh_token!;
    const r1 = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: first, client_id: agentId });
    expect(r1.status).toBe(200);
    const t1 = (await r1.json()) as { access_token: string; refresh_token: string };
    expect(t1.refresh_token).not.toBe(first);
    // A role change upstream arrives with the next refresh.
    fake.users.set(ADA.id, { ...ADA, role: "member", permissions: [] });
    const r2 = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: t1.refresh_token, client_id: agentId });
    expect(r2.status).toBe(200);
    const t2 = (await r2.json()) as { access_token: string; refresh_token: string };
    const replay = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: first, client_id: agentId });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });

    provider.saveTokens({ ...provider.savedTokens!, access_token: t2.access_token, refresh_token: t2.refresh_token });
    const refreshed = toolJson(await client.callTool({ name: "whoami", arguments: {} }));
    expect(refreshed).toMatchObject({ user: { id: ADA.id }, role: "member", permissions: [], client_id: agentId });
    fake.users.set(ADA.id, ADA);
  });

  it("keeps the grant when the sign-in provider is briefly down during a refresh (503, then it works)", async () => {
    const agentId = provider.client!.client_id;
    fake.http.fail(/^POST \/oauth2\/token$/, { status: 500, times: 1 });
    const down = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: provider.savedTokens!.refresh_token!, client_id: agentId });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBeTruthy();
    const again = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: provider.savedTokens!.refresh_token!, client_id: agentId });
    expect(again.status).toBe(200);
    const tokens = (await again.json()) as { access_token: string; refresh_token: string };
    provider.saveTokens({ ...provider.savedTokens!, ...tokens });
  });

  it("revokes the grant when WorkOS refuses a refresh for good: the agent must sign in again", async () => {
    const leaver: FakeUser = { id: "user_LEAVER", email: "leaver@example.com", firstName: "Lee", lastName: "Ver", organizationId: null, role: "member", permissions: [] };
    fake.signInAs(leaver);
    try {
      const agent = await signedInAgent(origin, "Leaver's agent");
      expect((await initialize(agent.access_token)).status).toBe(200);
      fake.users.delete(leaver.id); // removed from the WorkOS environment: AuthKit answers invalid_grant from now on
      const refused = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/no longer accepts this sign-in/) });
      // The whole grant went with it: the access token it still holds, and the refresh token, are refused.
      const after = await initialize(agent.access_token);
      expect(after.status).toBe(401);
      expect(after.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
      const again = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
      expect(again.status).toBe(400);
    } finally {
      fake.signInAs(ADA);
    }
  });

  it("revocation: a revoked agent's next call gets 401", async () => {
    const agent = await signedInAgent(origin, "Revoked agent");
    expect((await initialize(agent.access_token)).status).toBe(200);
    const revoked = await tokenRequest(origin, { token: agent.refresh_token, client_id: agent.clientId });
    expect(revoked.status).toBe(200);
    const after = await initialize(agent.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    const refresh = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
    expect(refresh.status).toBe(400);
  });
});

function initialize(token: string | null, { url = mcpUrl, headers = {} }: { url?: string; headers?: Record<string, string> } = {}) {
  return postMcp(url, MCP_MESSAGES.initialize, { token, headers });
}

describe("an agent without a person: AuthKit client-credentials tokens beside this server's own", () => {
  let agent: Awaited<ReturnType<typeof addAgent>>;
  beforeAll(async () => {
    // As `create-mcp-auth agents add nightly --organization … --scopes shop:admin` makes it.
    agent = await addAgent(fake, { name: "nightly", organizationId: ADA.organizationId!, scopes: ["shop:admin"] });
  });

  it("calls /mcp with the MCP client as a service: no user, its organization, its scopes as permissions; a person-only tool refuses it", async () => {
    const token = await serviceToken(fake, agent, { resource: mcpUrl });
    const client = await connectMcp(mcpUrl, { authorization: `Bearer ${token}` }, "2026-07-28");
    try {
      expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toEqual({
        kind: "service",
        user: null,
        organization: ADA.organizationId,
        role: null,
        permissions: ["shop:admin"],
        permission_sources: { "shop:admin": "scope" },
        client_id: agent.clientId,
        scopes: ["shop:admin"],
        expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      expect(toolJson(await client.callTool({ name: "list_orders", arguments: {} }))).toMatchObject({ orders: expect.any(Array) });
      const refused = await client.callTool({ name: "order_shirt", arguments: { size: "M", name: "Robot", company: "", address: "1 Server Street, Cloud" } });
      expect(refused.isError).toBe(true);
      expect(toolJson(refused)).toMatchObject({ error: "person_required", message: expect.stringContaining("a service token (client credentials, no person) cannot use it") });
    } finally {
      await client.close();
    }
  });

  it.each([
    ["its token for another audience", () => serviceToken(fake, agent, { resource: "https://other.example/mcp" })],
    ["its token without an audience", () => serviceToken(fake, agent, {})],
    ["its token expired", () => fake.mintAccessToken(ADA, mcpUrl, { claims: { sub: agent.clientId, client_id: agent.clientId, role: undefined, permissions: undefined, exp: Math.floor(Date.now() / 1000) - 600 } })],
    ["a person's AuthKit token for this server (people sign in here, with consent)", () => upstreamToken()],
  ])("refuses %s with 401 and the challenge", async (_, token) => {
    const response = await initialize(await token());
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    expect(response.headers.get("www-authenticate")).toContain(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`);
  });

  it("answers 503 with Retry-After, not 401, while AuthKit's keys cannot be fetched", async () => {
    const token = await serviceToken(fake, agent, { resource: mcpUrl });
    await new Promise((r) => setTimeout(r, 11_000)); // past the key set's refetch cooldown (10 s, src/server/jwt.ts)
    fake.http.fail(/^GET \/oauth2\/jwks$/, { status: 500, times: Number.POSITIVE_INFINITY });
    try {
      // A new key id makes the server refetch the keys (a cached key set would verify without fetching).
      const forged = await fake.mintAccessToken(ADA, mcpUrl, { kid: crypto.randomUUID(), claims: { sub: agent.clientId, client_id: agent.clientId } });
      const response = await initialize(forged);
      expect([response.status, response.headers.get("retry-after")]).toEqual([503, "30"]);
      expect(response.headers.get("www-authenticate")).toBeNull();
    } finally {
      fake.http.clearFaults();
    }
    expect((await initialize(token)).status).toBe(200);
  });
});

describe("bad tokens get 401 with a Bearer challenge naming the resource metadata", () => {
  let agent: Awaited<ReturnType<typeof signedInAgent>>;
  beforeAll(async () => {
    agent = await signedInAgent(origin, "Token tests");
  });

  const metadata = () => `resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`;

  it("no token", async () => {
    const response = await initialize(null);
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate")!;
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(metadata());
    expect(challenge).not.toMatch(/error=/);
  });

  it.each([
    ["garbage", () => "garbage"],
    ["a real token with its secret changed", () => agent.access_token.replace(/.$/, (c) => (c === "a" ? "b" : "a"))],
    ["the refresh token used as an access token", () => agent.refresh_token],
    ["an AuthKit access token (upstream tokens are not accepted here)", () => upstreamToken()],
    ["an expired AuthKit token", () => upstreamToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
  ])("%s", async (_, token) => {
    const response = await initialize(await token());
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    expect(response.headers.get("www-authenticate")).toContain(metadata());
  });

  it("a token for another origin of this server (audience is the exact resource)", async () => {
    const response = await initialize(agent.access_token, { url: `http://localhost:${server.port}/mcp` });
    expect(response.status).toBe(401);
  });

  it("a valid token in the query string instead of the header", async () => {
    const response = await initialize(null, { url: `${mcpUrl}?access_token=${encodeURIComponent(agent.access_token)}` });
    expect(response.status).toBe(401);
    expect((await initialize(agent.access_token)).status).toBe(200); // the same token in the header works
  });

  it("a hostile web page gets 403 before any token check", async () => {
    const response = await initialize(agent.access_token, { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden_origin" });
    expect((await initialize(null, { headers: { origin: "https://evil.example" } })).status).toBe(403);
  });

  it("keeps secrets out of every process's command line (what `ps` shows): npm run dev hands them to wrangler in its environment", async () => {
    const commandLines = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return ""; // the process ended meanwhile
      }
    });
    expect(commandLines.some((line) => line.includes("wrangler") && line.includes("dev"))).toBe(true);
    for (const line of commandLines) expect(line).not.toContain(app.clientSecret);
  });

  it("a DNS-rebinding page (its own Host and Origin, a forged CF-Connecting-IP) gets 403 on every route, not a 500", async () => {
    for (const [path, method] of [["/mcp", "POST"], ["/authorize", "GET"], ["/.well-known/oauth-authorization-server", "GET"]] as const) {
      const rebound = await reboundRequest(server.port, path, method);
      expect(rebound.status, `${method} ${path}`).toBe(403);
      expect(JSON.parse(rebound.body), `${method} ${path}`).toMatchObject({ error: "forbidden_host" });
    }
  });
});

function upstreamToken(claims: Record<string, unknown> = {}) {
  return fake.mintAccessToken(ADA, mcpUrl, { claims });
}

/** Registers a public agent and opens its consent page in a fresh browser. */
async function consentFor(name: string, redirectUri = "http://127.0.0.1:9/cb", jar = new CookieJar()) {
  const registered = (await (await registerClient(origin, { client_name: name, redirect_uris: [redirectUri] })).json()) as { client_id: string };
  const { verifier, challenge } = pkce();
  const state = `state-${Math.random()}`;
  const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: redirectUri, state, code_challenge: challenge, code_challenge_method: "S256" });
  const page = await openAuthorization(jar, url);
  if ("redirect" in page) throw new Error("consent page expected");
  return { page: page as ConsentPage, jar, clientId: registered.client_id, verifier, state, redirectUri };
}

describe("the consent page", () => {
  it("comes after sign-in: /authorize sends the browser to AuthKit first, and nothing is shown or granted before", async () => {
    const registered = (await (await registerClient(origin, { client_name: "Sign-in first", redirect_uris: ["http://127.0.0.1:9/cb"] })).json()) as { client_id: string };
    const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: "http://127.0.0.1:9/cb", state: "s", code_challenge: pkce().challenge, code_challenge_method: "S256" });
    const first = await browse(new CookieJar(), url);
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get("location")!).origin).toBe(fake.url);
  });

  it("names the server, the person who signed in and the tools the agent will be able to call", async () => {
    const { page } = await consentFor("Tool-listing agent");
    expect(page.url.startsWith(`${origin}/callback?`)).toBe(true);
    expect(page.html).toContain('<span id="server-name">Proxy App</span>');
    expect(page.html).toMatch(/<title>Allow Tool-listing agent to use Proxy App\?<\/title>/);
    expect(page.html).toContain('<strong id="person-name">Ada Lovelace</strong> <span id="person-email">(ada@example.com)</span>');
    expect(page.html).toMatch(/<ul id="tools">(<li>[^<]*<code>[a-z_]+<\/code>[^<]*<\/li>)*<li><code>whoami<\/code> — Shows who this server thinks is calling\.<\/li>/);
    expect(page.html).toMatch(/<ul id="tools">.*<li><code>order_shirt<\/code>.*<\/ul>/s);
    expect(page.html).not.toMatch(/<img|<script|<link|https?:\/\/(?!127\.0\.0\.1)/); // no external assets
  });

  it("names the agent (escaped), where its access goes and what it asks for; cannot be framed", async () => {
    const { page } = await consentFor(`<script>alert("x")</script> Agent`, "http://127.0.0.1:9/cb");
    expect(page.html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; Agent");
    expect(page.html).not.toContain("<script>");
    expect(page.html).toMatch(/id="redirect-host">127\.0\.0\.1</);
    expect(page.html).toContain("<code>mcp</code>");
    expect(page.html).toContain('id="loopback-warning"');
    expect(page.response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.response.headers.get("content-security-policy")).toContain("form-action 'self' http://127.0.0.1:9;");
    expect(page.response.headers.get("x-frame-options")).toBe("DENY");
    expect(page.response.headers.get("cache-control")).toMatch(/no-store/);
    const cookies = page.response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__Host-/);
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
    }
  });

  it("refuses a forged approval: the page's handle without its cookie, or a made-up handle with it", async () => {
    const { page, jar } = await consentFor("Forgery target");
    const forged = await submitConsent(new CookieJar(), page, "approve", { origin: "https://evil.example" });
    expect(forged.status).toBe(400);
    expect(forged.headers.get("location")).toBeNull();
    const wrong = await submitConsent(jar, { ...page, handle: `${page.handle}x` }, "approve");
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get("location")).toBeNull();
    // The real form still works once.
    const real = await submitConsent(jar, page, "approve");
    expect(real.status).toBe(302);
  });

  it("refuses a replayed approval", async () => {
    const { page, jar } = await consentFor("Replay target");
    const first = await submitConsent(jar, page, "approve");
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get("location")!).searchParams.get("code")).toBeTruthy();
    const replay = await submitConsent(jar, page, "approve");
    expect(replay.status).toBe(400);
    expect(replay.headers.get("location")).toBeNull();
  });

  it("sends the agent access_denied (with its state and iss) when the person denies", async () => {
    const { page, jar, state, redirectUri } = await consentFor("Denied agent");
    const denied = await submitConsent(jar, page, "deny");
    expect(denied.status).toBe(302);
    const back = new URL(denied.headers.get("location")!);
    expect(back.toString().startsWith(redirectUri)).toBe(true);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe(state);
    expect(back.searchParams.get("iss")).toBe(origin);
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("uses the upstream state once: a replayed or forged callback, or one in another browser, gets a page and no grant", async () => {
    const registered = (await (await registerClient(origin, { client_name: "State target", redirect_uris: ["http://127.0.0.1:9/cb"] })).json()) as { client_id: string };
    const jar = new CookieJar();
    const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: "http://127.0.0.1:9/cb", state: "s", code_challenge: pkce().challenge, code_challenge_method: "S256" });
    const upstream = new URL((await browse(jar, url)).headers.get("location")!);
    const state = upstream.searchParams.get("state")!;
    expect(state.length).toBeGreaterThanOrEqual(20);
    const atFake = await browse(jar, upstream.toString());
    const callback = new URL(atFake.headers.get("location")!);
    expect(callback.toString().startsWith(`${origin}/callback`)).toBe(true);
    // Another browser (no binding cookie) cannot use it.
    const stolen = await browse(new CookieJar(), callback.toString());
    expect(stolen.status).toBe(400);
    expect(await stolen.text()).toContain('<p id="problem">This authorization was not started in this browser.</p>');
    const done = await browse(jar, callback.toString());
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('name="handle"');
    const replay = await browse(jar, callback.toString());
    expect(replay.status).toBe(400);
    expect(replay.headers.get("location")).toBeNull();
    const forged = new URL(callback);
    forged.searchParams.set("state", "made-up");
    expect((await browse(jar, forged.toString())).status).toBe(400);
  });

  it("remembers an approval for that person in that browser: the next sign-in goes straight back (other browsers are asked)", async () => {
    const jar = new CookieJar();
    const agent = await signedInAgent(origin, "Remembered agent", jar);
    const again = () => authorizeUrl(origin, { client_id: agent.clientId, redirect_uri: agent.redirectUri, state: "s2", code_challenge: pkce().challenge, code_challenge_method: "S256" });
    const skipped = await openAuthorization(jar, again());
    expect("redirect" in skipped && new URL(skipped.redirect).searchParams.get("code")).toBeTruthy();
    expect("handle" in (await openAuthorization(new CookieJar(), again()))).toBe(true);
  });

  it("asks someone else who signs in on that browser, naming them, and never grants them the remembered approval", async () => {
    const jar = new CookieJar();
    const agent = await signedInAgent(origin, "Shared-browser agent", jar);
    const grace: FakeUser = { id: "user_GRACE", email: "grace@example.com", firstName: "Grace", lastName: "Hopper", organizationId: null, role: "member", permissions: [] };
    fake.signInAs(grace);
    try {
      const asked = await openAuthorization(jar, authorizeUrl(origin, { client_id: agent.clientId, redirect_uri: agent.redirectUri, state: "s3", code_challenge: pkce().challenge, code_challenge_method: "S256" }));
      if ("redirect" in asked) throw new Error(`granted without asking: ${asked.redirect}`);
      expect(asked.html).toContain('<strong id="person-name">Grace Hopper</strong>');
    } finally {
      fake.signInAs(ADA);
    }
  });
});

describe("regressions for past workers-oauth-provider advisories", () => {
  it("checks redirect_uri at /authorize against the registration (no redirect to an unregistered URI)", async () => {
    const registered = (await (await registerClient(origin, { client_name: "Honest", redirect_uris: ["http://127.0.0.1:9/cb"] })).json()) as { client_id: string };
    const { challenge } = pkce();
    for (const redirectUri of ["https://attacker.example/cb", "http://127.0.0.1:9/cb/../evil", "http://127.0.0.1:9/cb?x=1"]) {
      const response = await browse(new CookieJar(), authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: redirectUri, state: "s", code_challenge: challenge, code_challenge_method: "S256" }));
      expect(response.status, redirectUri).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      // A page for the person: what happened, then what to do, each its own sentence.
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toMatch(/<title>This connection cannot go on<\/title>/);
      expect(html).toContain('<p id="problem">Invalid redirect URI.</p>');
      expect(html).toContain('<p id="advice">Start connecting again from your app.</p>');
    }
  });

  it.each(["JavaScript:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)", "JAVASCRIPT:alert(1)//http://127.0.0.1/cb", "data:text/html,hi", "vbscript:msgbox(1)"])(
    "refuses to register the redirect URI %j",
    async (redirectUri) => {
      const response = await registerClient(origin, { client_name: "Scheme", redirect_uris: [redirectUri] });
      expect(response.status).toBe(400);
      const mixed = await registerClient(origin, { client_name: "Scheme", redirect_uris: ["http://127.0.0.1:9/cb", redirectUri] });
      expect(mixed.status).toBe(400);
    },
  );

  it.each([
    ["missing", {}],
    ["plain", { code_challenge: "a".repeat(43), code_challenge_method: "plain" }],
    ["without a method", { code_challenge: "a".repeat(43) }],
  ])("refuses PKCE %s for a public client (no consent page)", async (_, params) => {
    const registered = (await (await registerClient(origin, { client_name: "No PKCE", redirect_uris: ["http://127.0.0.1:9/cb"] })).json()) as { client_id: string };
    const response = await browse(new CookieJar(), authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: "http://127.0.0.1:9/cb", state: "s", ...params }));
    expect(response.status).not.toBe(200);
    const location = response.headers.get("location");
    if (location) expect(new URL(location).searchParams.get("error")).toBe("invalid_request");
    else expect(response.status).toBe(400);
  });

  it("refuses a code exchange without the PKCE verifier, or with a wrong one", async () => {
    const { page, jar, clientId, verifier, redirectUri } = await consentFor("Verifier check");
    const back = new URL(await followUntil(jar, await submitConsent(jar, page, "approve"), `${origin}/authorize`, redirectUri));
    const code = back.searchParams.get("code")!;
    const exchange = (extra: Record<string, string>) => tokenRequest(origin, { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, ...extra });
    expect((await exchange({})).status).toBe(400);
    expect((await exchange({ code_verifier: `${verifier}x` })).status).toBe(400);
    expect((await exchange({ code_verifier: verifier })).status).toBe(200);
    expect((await exchange({ code_verifier: verifier })).status).toBe(400); // single use
  });

  it("does not let one client revoke another client's tokens", async () => {
    const victim = await signedInAgent(origin, "Victim");
    const attacker = await signedInAgent(origin, "Attacker");
    await tokenRequest(origin, { token: victim.access_token, client_id: attacker.clientId });
    await tokenRequest(origin, { token: victim.refresh_token, client_id: attacker.clientId });
    expect((await initialize(victim.access_token)).status).toBe(200);
    const refresh = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: victim.refresh_token, client_id: victim.clientId });
    expect(refresh.status).toBe(200);
  });
});

describe("the generated project", () => {
  it("passes its own tests (a local AuthKit stand-in, the whole sign-in flow, no network)", async () => {
    await stopServer();
    await projectScript(projectDir, "test");
  });
});
