import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { authorizeNewAgent, connectWithSignIn, CookieJar, MemoryOAuthProvider, tokenRequest } from "../helpers/proxy-oauth.js";
import { type RunningServer, startDevServer, toolJson, MCP_MESSAGES, postMcp } from "../helpers/server.js";

// Proxy mode's optional upstream: without an OAuth application of its own (WORKOS_APP_CLIENT_ID unset), the server
// signs people in through the environment's AuthKit client and the user-management API (WORKOS_CLIENT_ID + WORKOS_API_KEY).
// The server also runs with short-lived access tokens (ACCESS_TOKEN_TTL), to see its own tokens expire.
const TTL_S = 60; // the shortest the OAuth provider allows (KV expiry)
const LIN: FakeUser = {
  id: "user_LIN",
  email: "lin@example.com",
  firstName: "Lin",
  lastName: "Park",
  organizationId: "org_LIN",
  role: "member",
  permissions: ["shop:read"],
};
/** Never confirmed the address she signed up with. */
const UNA: FakeUser = { id: "user_UNA", email: "una@example.com", emailVerified: false, firstName: "Una", lastName: "Verified", role: "member", permissions: [] };

let work: ReturnType<typeof tempDir>;
let fake: WorkosFake;
let server: RunningServer;
let remove: () => void;

beforeAll(async () => {
  work = tempDir("proxy-um");
  const project = await generate(work.dir, "um-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami"]);
  remove = project.remove;
  fake = await startWorkosFake([LIN]);
  server = await startDevServer(project.dir, {
    AUTHKIT_DOMAIN: fake.url,
    WORKOS_API_HOSTNAME: fake.apiHostname,
    WORKOS_CLIENT_ID: fake.clientId,
    WORKOS_API_KEY: fake.apiKey,
    COOKIE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    ACCESS_TOKEN_TTL: String(TTL_S),
    ALLOWED_EMAIL_DOMAINS: "example.com",
  });
  fake.provisioning.redirectUris.set("redirect_uri_test", { id: "redirect_uri_test", uri: `http://127.0.0.1:${server.port}/callback`, default: true });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  remove?.();
  work?.cleanup();
});

describe("workos proxy mode through the user-management API", () => {
  it("signs the person in through AuthKit's environment client, and whoami names them and the agent", async () => {
    const provider = new MemoryOAuthProvider(undefined, "UM agent");
    const client = await connectWithSignIn(`http://127.0.0.1:${server.port}/mcp`, provider, new CookieJar());
    const whoami = toolJson(await client.callTool({ name: "whoami", arguments: {} }));
    expect(whoami).toMatchObject({
      kind: "person",
      user: { id: LIN.id, email: LIN.email, email_verified: true, name: "Lin Park" },
      organization: LIN.organizationId,
      role: LIN.role,
      permissions: [], // she holds shop:read, but the token was granted only `mcp`
      client_id: provider.client!.client_id,
    });
    expect(fake.http.requests.some((r) => r.path === "/user_management/authenticate")).toBe(true);
    expect(fake.http.requests.some((r) => r.path === "/oauth2/token")).toBe(false);
    await client.close();
  });

  it("counts a person's email for ALLOWED_EMAIL_DOMAINS only when WorkOS says it is verified: refused at sign-in, with a page", async () => {
    fake.signInAs(UNA);
    try {
      const refused = await authorizeNewAgent(`http://127.0.0.1:${server.port}`, "Una's agent");
      if ("redirect" in refused) throw new Error(`not refused: ${refused.redirect}`);
      expect(refused.response.status).toBe(403);
      expect(refused.response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(refused.html).toMatch(/<p id="problem">una@example\.com is not verified/);
    } finally {
      fake.signInAs(LIN);
    }
  });

  it("expires its own access tokens after ACCESS_TOKEN_TTL (401 invalid_token); the refresh token gets a new one", async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const provider = new MemoryOAuthProvider(undefined, "Short-lived agent");
    await connectWithSignIn(`${origin}/mcp`, provider, new CookieJar());
    const call = (token: string) => postMcp(`${origin}/mcp`, MCP_MESSAGES.toolsList, { token });
    const { access_token, refresh_token } = provider.savedTokens!;
    expect((await call(access_token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, (TTL_S + 1) * 1000));
    const expired = await call(access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const refreshed = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: refresh_token!, client_id: provider.client!.client_id });
    expect(refreshed.status).toBe(200);
    expect((await call(((await refreshed.json()) as { access_token: string }).access_token)).status).toBe(200);
  });
});
