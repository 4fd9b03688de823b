import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { connectWithSignIn, CookieJar, MemoryOAuthProvider } from "../helpers/proxy-oauth.js";
import { generate, projectScript } from "../helpers/project.js";
import { connectMcp, freePort, MODERN_HEADERS, reboundRequest, type RunningServer, startDevServer, toolJson, MCP_MESSAGES, postMcp } from "../helpers/server.js";
import { ADA, CLIENT_CREDENTIALS_TTL_S, type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { addAgent, clientCredentials, serviceToken } from "../helpers/agents.js";

// WorkOS direct mode on both targets: AuthKit (the local stand-in) is the authorization server; the generated
// server only checks its tokens. The MCP SDK client runs the whole OAuth flow; then the bad-token battery.
const REQUIRED_SCOPE = "mcp:tools";
/** The generated server's JWKS refetch cooldown (templates/features/jwt/src/server/jwt.ts). */
const JWKS_COOLDOWN_MS = 10_000;

let work: ReturnType<typeof tempDir>;
let workos: WorkosFake;
beforeAll(async () => {
  work = tempDir("workos-direct");
  workos = await startWorkosFake([ADA]);
});
afterAll(async () => {
  await workos.close();
  work.cleanup();
});

describe.each(["workers", "node"])("WorkOS direct mode on %s", (target) => {
  let dir: string;
  let server: RunningServer;
  let mcp: string;
  let origin: string;
  let remove: () => void;

  beforeAll(async () => {
    const project = await generate(work.dir, `workos-direct-${target}`, ["-t", "workos", "--target", target, "--auth-mode", "direct", "--tools", "whoami,shop"]);
    expect(project.json).toMatchObject({ template: "workos", authMode: "direct", target });
    ({ dir, remove } = project);
    await projectScript(dir, "typecheck");
    server = await startDevServer(dir, {
      AUTHKIT_DOMAIN: workos.url,
      WORKOS_API_HOSTNAME: workos.apiHostname,
      WORKOS_API_KEY: workos.apiKey,
      REQUIRED_SCOPES: REQUIRED_SCOPE,
    });
    origin = `http://127.0.0.1:${server.port}`;
    mcp = `${origin}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    remove?.();
  });

  const post = (url: string, headers: Record<string, string> = {}) =>
    postMcp(url, MCP_MESSAGES.initialize, { headers });
  const mint = (options: Parameters<WorkosFake["mintAccessToken"]>[2] = {}) =>
    workos.mintAccessToken(ADA, mcp, { ...options, claims: { scope: `openid ${REQUIRED_SCOPE}`, ...options.claims } });
  const challenge = (extra = "") => `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"${extra}`;

  it("runs the whole OAuth flow with the MCP client, and whoami names the person and the agent", async () => {
    const lookupsBefore = workos.http.requests.filter((r) => r.path === `/user_management/users/${ADA.id}`).length;
    const authorizations = () => workos.http.requests.filter((r) => r.path === "/oauth2/authorize").length;
    const before = authorizations();
    const provider = new MemoryOAuthProvider(undefined, "Direct agent");
    const client = await connectWithSignIn(mcp, provider, new CookieJar());
    expect(authorizations()).toBe(before + 1);
    const clientId = provider.client!.client_id;
    expect(workos.clients.has(clientId)).toBe(true); // registered with AuthKit (DCR), not with this server

    const result = await client.callTool({ name: "whoami", arguments: {} });
    const whoami = toolJson(result);
    expect(whoami).toEqual({
      kind: "person",
      user: { id: ADA.id, email: ADA.email, email_verified: true, name: "Ada Lovelace" }, // the token has no email: looked up through the API
      organization: ADA.organizationId,
      role: ADA.role,
      permissions: ADA.permissions,
      permission_sources: Object.fromEntries(ADA.permissions!.map((p) => [p, "role"])),
      client_id: clientId,
      scopes: expect.arrayContaining([REQUIRED_SCOPE]),
      expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(provider.savedTokens!.access_token);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT of any kind
    await client.close();

    const again = await connectWithSignIn(mcp, provider, new CookieJar()); // reconnect: the saved token is enough
    expect(authorizations()).toBe(before + 1);
    expect(toolJson(await again.callTool({ name: "whoami", arguments: {} })).user).toMatchObject({ id: ADA.id });
    // Two whoami calls, one profile lookup: the profile is cached.
    expect(workos.http.requests.filter((r) => r.path === `/user_management/users/${ADA.id}`)).toHaveLength(lookupsBefore + 1);
    await again.close();
  });

  it("runs the whole OAuth flow with the SDK v2 client pinned to 2026-07-28, with the same identity", async () => {
    const provider = new MemoryOAuthProvider(undefined, "Modern direct agent");
    const client = await connectWithSignIn(mcp, provider, new CookieJar(), undefined, "2026-07-28");
    expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({
      kind: "person",
      user: { id: ADA.id, email: ADA.email, email_verified: true },
      permissions: ADA.permissions,
      client_id: provider.client!.client_id,
    });
    await client.close();
  });

  it("publishes metadata naming AuthKit as the authorization server, at both well-known URLs", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ resource: mcp, authorization_servers: [workos.issuer], scopes_supported: [REQUIRED_SCOPE] });
    }
  });

  it("names no other host in its metadata for a DNS-rebinding page (403, whatever CF-Connecting-IP says)", async () => {
    const rebound = await reboundRequest(server.port, "/.well-known/oauth-protected-resource/mcp", "GET");
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain("evil.test");
  });

  it("accepts a good token (the battery's control case)", async () => {
    expect((await post(mcp, { authorization: `Bearer ${await mint()}` })).status).toBe(200);
  });

  it("answers a missing token with 401 and the metadata URL and scope, in both protocol eras", async () => {
    const response = await post(mcp);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge(`, scope="${REQUIRED_SCOPE}"`));
    const modern = await postMcp(mcp, MCP_MESSAGES.discover, { headers: MODERN_HEADERS("server/discover") });
    expect(modern.status).toBe(401);
    expect(modern.headers.get("www-authenticate")).toBe(challenge(`, scope="${REQUIRED_SCOPE}"`));
  });

  it("ignores a token in the query string", async () => {
    const response = await post(`${mcp}?access_token=${await mint()}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge(`, scope="${REQUIRED_SCOPE}"`));
  });

  const now = () => Math.floor(Date.now() / 1000);
  const invalid: [string, () => Promise<string>][] = [
    ["a malformed header", async () => "Bearer"],
    ["a Basic credential", async () => "Basic YWRhOnNlY3JldA=="],
    ["garbage", async () => "Bearer not-a-jwt"],
    ["a wrong signature", async () => `Bearer ${await mint({ key: "untrusted" })}`],
    ["alg none", async () => `Bearer ${await mint({ alg: "none" })}`],
    ["a wrong issuer", async () => `Bearer ${await mint({ claims: { iss: "https://evil.authkit.app" } })}`],
    ["a wrong audience", async () => `Bearer ${await mint({ claims: { aud: "https://other.example/mcp" } })}`],
    ["an expired token", async () => `Bearer ${await mint({ claims: { exp: now() - 600, iat: now() - 900 } })}`],
    ["a not-yet-valid token", async () => `Bearer ${await mint({ claims: { nbf: now() + 600 } })}`],
    ["a token without exp", async () => `Bearer ${await mint({ claims: { exp: undefined } })}`],
    // The development sign-in's mark: never believed once the provider is set up, whoever signed the token.
    ["a token marked as the development sign-in's", async () => `Bearer ${await mint({ claims: { dev_sign_in: true } })}`],
  ];
  it.each(invalid)("refuses %s with 401 invalid_token", async (_, authorization) => {
    const response = await post(mcp, { authorization: await authorization() });
    expect(response.status).toBe(401);
    const header = response.headers.get("www-authenticate")!;
    expect(header.startsWith(challenge())).toBe(true);
    expect(header).toContain('error="invalid_token"');
  });

  it("refuses a token without the required scope with 403 insufficient_scope, naming required and granted scopes", async () => {
    const response = await post(mcp, { authorization: `Bearer ${await mint({ claims: { scope: "openid profile" } })}` });
    expect(response.status).toBe(403);
    const header = response.headers.get("www-authenticate")!;
    expect(header).toContain('error="insufficient_scope"');
    expect(header).toContain(`scope="${REQUIRED_SCOPE} openid profile"`);
  });

  it("fetches AuthKit's keys at most once per cooldown for unknown key ids, and picks up a rotated key after it", async () => {
    const jwksFetches = () => workos.http.requests.filter((r) => r.path === "/oauth2/jwks").length;
    const before = jwksFetches();
    const forged = await Promise.all(Array.from({ length: 20 }, () => mint({ kid: crypto.randomUUID() })));
    const statuses = await Promise.all(forged.map(async (t) => (await post(mcp, { authorization: `Bearer ${t}` })).status));
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(jwksFetches() - before).toBeLessThanOrEqual(1); // 20 unknown kids, one refetch at most
    await new Promise((r) => setTimeout(r, JWKS_COOLDOWN_MS + 1_000));
    await workos.rotateSigningKey();
    expect((await post(mcp, { authorization: `Bearer ${await mint()}` })).status).toBe(200);
  });

  it("answers 503 with Retry-After, not 401, while AuthKit's keys cannot be fetched", async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const cut = await startDevServer(dir, { AUTHKIT_DOMAIN: unreachable, WORKOS_API_HOSTNAME: workos.apiHostname });
    try {
      const cutMcp = `http://127.0.0.1:${cut.port}/mcp`;
      const token = await workos.mintAccessToken(ADA, cutMcp, { claims: { iss: unreachable } });
      const response = await post(cutMcp, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(response.headers.get("www-authenticate")).toBeNull();
    } finally {
      await cut.stop();
    }
  });

  describe("an agent without a person (client credentials)", () => {
    let agent: Awaited<ReturnType<typeof addAgent>>;
    beforeAll(async () => {
      // As `agents add reporter --organization … --scopes shop:admin` makes it; REQUIRED_SCOPES' scope too.
      agent = await addAgent(workos, { name: `reporter-${target}`, organizationId: ADA.organizationId!, scopes: ["shop:admin", REQUIRED_SCOPE] });
    });

    it("AuthKit's token endpoint gives the agent a token for this server with its scopes, and only its scopes", async () => {
      const response = await clientCredentials(workos, agent, { resource: mcp });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: "Bearer", expires_in: CLIENT_CREDENTIALS_TTL_S, scope: `shop:admin ${REQUIRED_SCOPE}` });
      expect(body.refresh_token).toBeUndefined();
      const outside = await clientCredentials(workos, agent, { scope: "audit:read", resource: mcp });
      expect([outside.status, ((await outside.json()) as { error: string }).error]).toEqual([400, "invalid_scope"]);
      const wrong = await clientCredentials(workos, { ...agent, secret: "not-the-secret" }, { resource: mcp });
      expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([401, "invalid_client"]);
    });

    it("the MCP client with its token is a service: no user, its permission scopes as permissions; a person-only tool refuses it", async () => {
      const token = await serviceToken(workos, agent, { resource: mcp });
      const client = await connectMcp(mcp, { authorization: `Bearer ${token}` }, "2026-07-28");
      try {
        const lookupsBefore = workos.http.requests.filter((r) => r.path.startsWith("/user_management/users/")).length;
        expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toEqual({
          kind: "service",
          user: null,
          organization: ADA.organizationId,
          role: null,
          permissions: ["shop:admin"], // mcp:tools is a scope, not a tool permission
          permission_sources: { "shop:admin": "scope" },
          client_id: agent.clientId,
          scopes: ["shop:admin", REQUIRED_SCOPE],
          expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        });
        expect(workos.http.requests.filter((r) => r.path.startsWith("/user_management/users/"))).toHaveLength(lookupsBefore); // no profile lookup for a service
        // shop:admin is what list_orders checks to list everyone's orders.
        expect(toolJson(await client.callTool({ name: "list_orders", arguments: {} }))).toMatchObject({ orders: [] });
        const refused = await client.callTool({ name: "order_shirt", arguments: { size: "M", name: "Robot", company: "", address: "1 Server Street, Cloud" } });
        expect(refused.isError).toBe(true);
        expect(toolJson(refused)).toMatchObject({
          error: "person_required",
          message: "order_shirt acts for a signed-in person, so a service token (client credentials, no person) cannot use it. Sign in as a person to use it.",
        });
      } finally {
        await client.close();
      }
    });

    it("refuses its token for another audience, or expired, with 401 and the challenge", async () => {
      const other = await serviceToken(workos, agent, { resource: "https://other.example/mcp" });
      const noAudience = await serviceToken(workos, agent, {});
      const expired = await workos.mintAccessToken(ADA, mcp, { claims: { sub: agent.clientId, client_id: agent.clientId, role: undefined, permissions: undefined, exp: now() - 600, iat: now() - 900 } });
      for (const token of [other, noAudience, expired]) {
        const response = await post(mcp, { authorization: `Bearer ${token}` });
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")!.startsWith(challenge())).toBe(true);
        expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
      }
    });
  });

  it("passes its own test suite", async () => {
    await projectScript(dir, "test");
  });
});
