import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { type OidcAccount, RESOURCE_SCOPES, SERVICE_CLIENT, startOidcIssuer } from "../helpers/oidc-issuer.js";
import { generate, projectScript } from "../helpers/project.js";
import { connectWithSignIn, CookieJar, MemoryOAuthProvider } from "../helpers/proxy-oauth.js";
import { CONFIRMS, connectMcp, freePort, type McpClient, MCP_MESSAGES, newClient, postMcp, toolJsonOf, type RunningServer, startDevServer, toolJson } from "../helpers/server.js";

// The generic OIDC template in direct mode on both targets, against `oidc-provider` — a real authorization server:
// the MCP SDK client discovers it through the server's metadata, registers (DCR), signs in through its login and
// consent pages with PKCE and a resource indicator, and gets a JWT access token for this server. Then the tools,
// permissions from scopes, and the bad-token battery with tokens forged from a real one.
const LIN: OidcAccount = { id: "lin-0042", email: "lin@example.com", name: "Lin Park" };
/** A person whose two agents share the per-person quota (the other tests' calls are Lin's). */
const MAX: OidcAccount = { id: "max-0007", email: "max@example.com", name: "Max Berg" };
const CALLS_PER_MINUTE = 30;
const CALLS_PER_MINUTE_PER_AGENT = 20;
const REQUIRED_SCOPE = "mcp:tools";
/** An agent acting for no person (OAuth client credentials): its tokens' subject is the client itself. */
const SERVICE = SERVICE_CLIENT.id;

/** Waits out the last seconds of a minute, so a burst of calls lands in one fixed quota window. */
async function awayFromWindowEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 52_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
}

const LINS_ORDER = { size: "S", name: "Lin Issuer", company: "", address: "7 Issuer Lane, Oslo" };
let work: ReturnType<typeof tempDir>;
let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
beforeAll(async () => {
  work = tempDir("oidc-direct");
  issuer = await startOidcIssuer([LIN, MAX]);
});
afterAll(async () => {
  await issuer?.close();
  work?.cleanup();
});

describe.each(["workers", "node"])("generic OIDC (direct mode) on %s", (target) => {
  let dir: string;
  let server: RunningServer;
  let origin: string;
  let mcp: string;
  let remove: () => void;
  /** A real access token the issuer gave the MCP client, decoded: the battery's tokens are variations of it. */
  let issued: Record<string, unknown>;

  beforeAll(async () => {
    const project = await generate(work.dir, `oidc-${target}`, ["-t", "oidc", "--target", target, "--tools", "whoami,shop,audit"]);
    expect(project.json).toMatchObject({ template: "oidc", authMode: "direct", target });
    ({ dir, remove } = project);
    await projectScript(dir, "typecheck");
    server = await startDevServer(dir, { OIDC_ISSUER: issuer.issuer, REQUIRED_SCOPES: REQUIRED_SCOPE, ALLOWED_EMAIL_DOMAINS: "example.com", ALLOWED_USERS: SERVICE,
      CALLS_PER_MINUTE: String(CALLS_PER_MINUTE),
      CALLS_PER_MINUTE_PER_AGENT: String(CALLS_PER_MINUTE_PER_AGENT),
    });
    origin = `http://127.0.0.1:${server.port}`;
    mcp = `${origin}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    remove?.();
  });

  const challenge = (extra = "") => `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"${extra}`;
  const post = (url: string, token?: string) => postMcp(url, MCP_MESSAGES.initialize, { token });

  /** The person signs in at the issuer; `extraScopes` plays an agent that asks for more than the server requires. */
  const signIn = (extraScopes: string[] = [], who: OidcAccount = LIN) => (jar: CookieJar, url: string, redirectUri: string) => {
    const asked = new URL(url);
    if (extraScopes.length) asked.searchParams.set("scope", [asked.searchParams.get("scope") ?? "", ...extraScopes].join(" ").trim());
    return issuer.signIn(jar, asked.toString(), redirectUri, who.id);
  };

  it("runs the whole OAuth flow against the issuer with the MCP client; whoami names the person, the agent and the scopes", async () => {
    const provider = new MemoryOAuthProvider(undefined, "OIDC agent");
    const client = await connectWithSignIn(mcp, provider, new CookieJar(), signIn());
    issued = decodeJwt(provider.savedTokens!.access_token);
    // A real JWT access token for this server: the resource indicator became its audience.
    expect(issued).toMatchObject({ iss: issuer.issuer, aud: mcp, sub: LIN.id, scope: REQUIRED_SCOPE });

    expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toEqual({
      kind: "person",
      user: { id: LIN.id, email: LIN.email, email_verified: true, name: LIN.name },
      organization: null,
      role: null,
      permissions: [REQUIRED_SCOPE],
      permission_sources: { [REQUIRED_SCOPE]: "scope" },
      client_id: provider.client!.client_id,
      scopes: [REQUIRED_SCOPE],
      expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    // A 2025-era client cannot ask the person to confirm an order (direct mode has no page of its own): it is told so.
    const unconfirmed = toolJson(await client.callTool({ name: "order_shirt", arguments: LINS_ORDER }));
    expect(unconfirmed).toMatchObject({ error: "confirmation_unsupported", message: expect.stringContaining("CONFIRM_TOOLS") });
    // Scopes are the permissions the tools check: without audit:read, no audit log — a 403 challenge the client steps up on.
    await expect(client.callTool({ name: "audit_log", arguments: {} })).rejects.toThrow();
    expect(new URL(provider.authorizationUrl!).searchParams.get("scope")?.split(" ")).toEqual(expect.arrayContaining([REQUIRED_SCOPE, "audit:read"]));
    await client.close();
  });

  it("runs the whole OAuth flow with the SDK v2 client pinned to 2026-07-28, with the same identity", async () => {
    const provider = new MemoryOAuthProvider(undefined, "Modern OIDC agent");
    const client = await connectWithSignIn(mcp, provider, new CookieJar(), signIn(), "2026-07-28", CONFIRMS);
    expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
      kind: "person",
      user: { id: LIN.id, email: LIN.email, email_verified: true },
      scopes: [REQUIRED_SCOPE],
      client_id: provider.client!.client_id,
    });
    // This client asks the person, who confirms: the order is placed.
    expect(toolJson(await client.callTool({ name: "order_shirt", arguments: LINS_ORDER }))).toMatchObject({ status: "placed", size: "S" });
    await client.close();
  });

  /**
   * Registers the agent (DCR) for more scopes than the server requires: `oidc-provider` only ever grants a client the
   * scopes it registered, and the SDK registers a client for the scopes of the first challenge alone.
   */
  async function registerAgent(provider: MemoryOAuthProvider, scope: string) {
    const discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as { registration_endpoint: string };
    const registration = await fetch(discovery.registration_endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...provider.clientMetadata, token_endpoint_auth_method: "none", scope }),
    });
    expect(registration.status).toBe(201);
    provider.saveClientInformation((await registration.json()) as Parameters<MemoryOAuthProvider["saveClientInformation"]>[0]);
  }

  it("steps up with the SDK v2 client: an agent with only the base scope calls audit_log, gets 403 insufficient_scope, re-authorizes for audit:read and succeeds", async () => {
    const provider = new MemoryOAuthProvider(undefined, "Stepping-up agent");
    // Registered for audit:read too, but asking at first only for what the server's challenge names.
    await registerAgent(provider, `${REQUIRED_SCOPE} audit:read offline_access`);
    const jar = new CookieJar();
    const first = newClient("2026-07-28", mcp, { authProvider: provider });
    await expect(first.connect()).rejects.toThrow(); // 401: the SDK starts an authorization
    await first.finishAuth(await signIn()(jar, provider.authorizationUrl!.toString(), provider.redirectUri));
    expect(decodeJwt(provider.savedTokens!.access_token).scope).toBe(REQUIRED_SCOPE);
    const agent = newClient("2026-07-28", mcp, { authProvider: provider });
    await agent.connect();
    provider.authorizationUrl = undefined;

    // The challenge: the SDK re-authorizes with the union of what it holds and what the call needs.
    await expect(agent.client.callTool({ name: "audit_log", arguments: {} })).rejects.toThrow();
    const asked = new URL(provider.authorizationUrl!);
    // (The SDK adds offline_access, which the issuer supports.)
    expect(asked.searchParams.get("scope")!.split(" ")).toEqual(expect.arrayContaining([REQUIRED_SCOPE, "audit:read"]));
    await agent.finishAuth(await signIn()(jar, asked.toString(), provider.redirectUri));
    expect(String(decodeJwt(provider.savedTokens!.access_token).scope).split(" ")).toEqual(expect.arrayContaining([REQUIRED_SCOPE, "audit:read"]));

    const log = toolJson(await agent.client.callTool({ name: "audit_log", arguments: {} })) as { entries: Record<string, unknown>[] };
    expect(log.entries).toContainEqual(expect.objectContaining({ user_id: LIN.id, client_id: provider.client!.client_id, tool: "audit_log", outcome: "denied:scope" }));
    // tools/list is the same for everyone, each tool saying the permission it needs.
    const { tools } = (await agent.client.listTools()) as { tools: { name: string; description: string }[] };
    expect(tools.find((t) => t.name === "audit_log")?.description).toContain("audit:read");
    await agent.client.close();
  });

  it("grants the tools' permissions through scopes: an agent given audit:read and shop:admin reads the log and every order", async () => {
    const provider = new MemoryOAuthProvider(undefined, "OIDC auditor");
    await registerAgent(provider, `${REQUIRED_SCOPE} audit:read shop:admin`);
    const client = await connectWithSignIn(mcp, provider, new CookieJar(), signIn(["audit:read", "shop:admin"]));
    const whoami = toolJson(await client.callTool({ name: "whoami", arguments: {} }));
    expect(whoami.permissions).toEqual(expect.arrayContaining([REQUIRED_SCOPE, "audit:read", "shop:admin"]));
    const log = toolJson(await client.callTool({ name: "audit_log", arguments: {} })) as { entries: Record<string, unknown>[] };
    expect(log.entries).toContainEqual(expect.objectContaining({ user_id: LIN.id, tool: "order_shirt", outcome: "ok" }));
    expect(log.entries).toContainEqual(expect.objectContaining({ user_id: LIN.id, tool: "audit_log", outcome: "denied:scope" }));
    await client.close();
  });

  it(`holds CALLS_PER_MINUTE_PER_AGENT=${CALLS_PER_MINUTE_PER_AGENT} for each of a person's two agents and CALLS_PER_MINUTE=${CALLS_PER_MINUTE} across both, under 50 concurrent calls`, async () => {
    // Two agents (two DCR clients) signed in as the same person.
    const jar = new CookieJar();
    const providers = [new MemoryOAuthProvider(undefined, "Max's first agent"), new MemoryOAuthProvider(undefined, "Max's second agent")];
    const agents: McpClient[] = [];
    for (const provider of providers) agents.push(await connectWithSignIn(mcp, provider, jar, signIn([], MAX), "2026-07-28"));
    expect(providers[0]!.client!.client_id).not.toBe(providers[1]!.client!.client_id);
    await awayFromWindowEdge();
    const calls = Array.from({ length: 50 }, (_, i) => i % 2);
    const results = await Promise.all(calls.map(async (agent) => ({ agent, result: await agents[agent]!.callTool({ name: "whoami", arguments: {} }) })));
    const allowed = [0, 1].map((agent) => results.filter((r) => r.agent === agent && !r.result.isError).length);
    expect(allowed[0]! + allowed[1]!).toBe(CALLS_PER_MINUTE);
    for (const [agent, count] of allowed.entries()) expect(count, `agent ${agent}`).toBeLessThanOrEqual(CALLS_PER_MINUTE_PER_AGENT);
    for (const { agent, result } of results.filter((r) => r.result.isError)) {
      const refusal = toolJson(result);
      expect(refusal).toMatchObject({ error: "rate_limited", limit: expect.stringMatching(/^CALLS_PER_MINUTE(_PER_AGENT)?$/), retry_after_s: expect.any(Number) });
      expect(refusal.retry_after_s as number).toBeGreaterThan(0);
      expect(refusal.message).toContain(refusal.limit as string);
      // Refused by its own agent's limit only once that agent had all of it.
      if (refusal.limit === "CALLS_PER_MINUTE_PER_AGENT") expect(allowed[agent]).toBe(CALLS_PER_MINUTE_PER_AGENT);
    }
    await Promise.all(agents.map((agent) => agent.close()));
  });

  it("publishes metadata naming the issuer, at both well-known URLs", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      // The base scope, and every permission the tools check: each is a scope here.
      expect(await (await fetch(`${origin}${path}`)).json()).toMatchObject({ resource: mcp, authorization_servers: [issuer.issuer], scopes_supported: [REQUIRED_SCOPE, "shop:admin", "audit:read"] });
    }
  });

  const now = () => Math.floor(Date.now() / 1000);
  const variant = (changes: Record<string, unknown>) => {
    const claims: Record<string, unknown> = { ...issued, iat: now(), exp: now() + 300, ...changes };
    for (const [name, value] of Object.entries(changes)) if (value === undefined) delete claims[name];
    return claims;
  };

  it("accepts a token signed by the issuer for this server (the battery's control case)", async () => {
    expect((await post(mcp, await issuer.forge(variant({})))).status).toBe(200);
  });

  it("counts the email for ALLOWED_EMAIL_DOMAINS only when the issuer says it is verified", async () => {
    for (const emailVerified of [false, undefined]) {
      const response = await post(mcp, await issuer.forge(variant({ email_verified: emailVerified })));
      expect(response.status, `email_verified: ${emailVerified}`).toBe(403);
      expect(await response.json()).toMatchObject({ error: "not_allowed", message: expect.stringMatching(/lin@example\.com is not verified/) });
    }
  });

  it("sees the issuer's client-credentials token (its subject is its client) as a service: no user, its permission scopes, no person-only tools", async () => {
    const token = await issuer.clientCredentials(mcp);
    const client = await connectMcp(mcp, { authorization: `Bearer ${token}` }, "2026-07-28");
    try {
      expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
        kind: "service",
        user: null,
        client_id: SERVICE,
        permissions: expect.arrayContaining(SERVICE_CLIENT.scopes), // here every granted scope is a permission, as for a person
        scopes: expect.arrayContaining(SERVICE_CLIENT.scopes),
      });
      const refused = await client.callTool({ name: "order_shirt", arguments: { size: "M", name: "Robot", company: "", address: "1 Server Street, Cloud" } });
      expect(toolJson(refused)).toMatchObject({ error: "person_required", message: expect.stringContaining("a service token (client credentials, no person) cannot use it") });
      expect(toolJson(await client.callTool({ name: "list_orders", arguments: {} }))).toMatchObject({ orders: expect.any(Array) });
    } finally {
      await client.close();
    }
    // Its quotas are its own (subject client:<id>): spending them leaves a person's untouched.
    await awayFromWindowEdge();
    const service = await connectMcp(mcp, { authorization: `Bearer ${token}` }, "2026-07-28");
    const burst = await Promise.all(Array.from({ length: CALLS_PER_MINUTE + 5 }, () => service.callTool({ name: "whoami", arguments: {} })));
    await service.close();
    const refusals = burst.filter((r) => r.isError).map((r) => toolJson(r));
    expect(burst.length - refusals.length).toBeLessThanOrEqual(CALLS_PER_MINUTE_PER_AGENT);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.error === "rate_limited")).toBe(true);
    const person = await toolJsonOf(await postMcp(mcp, MCP_MESSAGES.callTool("whoami"), { token: await issuer.forge(variant({ sub: LIN.id })) }));
    expect(person).toMatchObject({ kind: "person", user: { id: LIN.id } });
    // Its token for another audience is refused like any other.
    const response = await post(mcp, await issuer.clientCredentials("https://other.example/mcp"));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("answers a missing token, or one in the query string, with 401 naming the metadata and scope", async () => {
    for (const response of [await post(mcp), await post(`${mcp}?access_token=${await issuer.forge(variant({}))}`)]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(challenge(`, scope="${REQUIRED_SCOPE}"`));
    }
  });

  const bearer = async (token: Promise<string>) => `Bearer ${await token}`;
  const invalid: [string, () => Promise<string>][] = [
    ["a malformed header", async () => "Bearer"],
    ["a Basic credential", async () => "Basic bGluOnNlY3JldA=="],
    ["a token that is not a JWT", async () => "Bearer not-a-jwt"],
    ["a wrong signature", () => bearer(issuer.forge(variant({}), { key: "untrusted" }))],
    ["alg none", () => bearer(issuer.forge(variant({}), { alg: "none" }))],
    ["a wrong issuer", () => bearer(issuer.forge(variant({ iss: "https://evil.example/" })))],
    ["a wrong audience", () => bearer(issuer.forge(variant({ aud: "https://other.example/mcp" })))],
    ["an expired token", () => bearer(issuer.forge(variant({ exp: now() - 600, iat: now() - 900 })))],
    ["a not-yet-valid token", () => bearer(issuer.forge(variant({ nbf: now() + 600 })))],
    ["a token without exp", () => bearer(issuer.forge(variant({ exp: undefined })))],
  ];
  it.each(invalid)("refuses %s with 401 invalid_token", async (_, authorization) => {
    const response = await postMcp(mcp, MCP_MESSAGES.initialize, { headers: { authorization: await authorization() } });
    expect(response.status).toBe(401);
    const header = response.headers.get("www-authenticate")!;
    expect(header.startsWith(challenge())).toBe(true);
    expect(header).toContain('error="invalid_token"');
  });

  it("refuses a token without the required scope with 403 insufficient_scope, naming required and granted scopes", async () => {
    const response = await post(mcp, await issuer.forge(variant({ scope: "shop:admin" })));
    expect(response.status).toBe(403);
    const header = response.headers.get("www-authenticate")!;
    expect(header).toContain('error="insufficient_scope"');
    expect(header).toContain(`scope="${REQUIRED_SCOPE} shop:admin"`);
  });

  it("refuses a tools/call needing a scope the token lacks with 403 insufficient_scope, naming every scope the call needs", async () => {
    const response = await postMcp(mcp, MCP_MESSAGES.callTool("audit_log"), { token: await issuer.forge(variant({ scope: `${REQUIRED_SCOPE} shop:admin` })) });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      challenge(`, error="insufficient_scope", error_description="This call needs the scope audit:read.", scope="${REQUIRED_SCOPE} shop:admin audit:read"`),
    );
    // A tool needing no permission, and tools/list, are not challenged.
    expect((await postMcp(mcp, MCP_MESSAGES.callTool("whoami"), { token: await issuer.forge(variant({})) })).status).toBe(200);
    expect((await postMcp(mcp, MCP_MESSAGES.toolsList, { token: await issuer.forge(variant({})) })).status).toBe(200);
  });

  it("answers 503 with Retry-After, not 401, while the issuer cannot be reached (the token is not judged)", async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const cut = await startDevServer(dir, { OIDC_ISSUER: unreachable });
    try {
      const cutMcp = `http://127.0.0.1:${cut.port}/mcp`;
      const token = await issuer.forge({ ...variant({}), iss: unreachable, aud: cutMcp });
      const response = await post(cutMcp, token);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(response.headers.get("www-authenticate")).toBeNull();
      expect(await response.json()).toMatchObject({ error: "temporarily_unavailable" });
      // No token at all is still a plain 401 challenge: nothing needed fetching.
      expect((await post(cutMcp)).status).toBe(401);
    } finally {
      await cut.stop();
    }
  });

  it("passes its own test suite", async () => {
    await projectScript(dir, "test");
  });
});
