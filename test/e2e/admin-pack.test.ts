import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { authorizeNewAgent, connectWithSignIn, CookieJar, MemoryOAuthProvider, signedInAgent, startProxyServer, tokenRequest } from "../helpers/proxy-oauth.js";
import type { RunningServer } from "../helpers/server.js";
import { MCP_MESSAGES, postMcp, toolJsonOf, type McpClient, type ToolResult } from "../helpers/server.js";

// The admin pack in proxy mode on Workers: people list and revoke the grants they gave agents; admin:grants reaches
// other people's. A revoked agent's next call gets 401. And what an agent may ask for: no scope grants a permission
// its person lacks upstream, and the allowlist counts only verified emails.
const ADA: FakeUser = { id: "user_ADA", email: "ada@example.com", firstName: "Ada", lastName: "L", role: "member", permissions: [] };
const GRACE: FakeUser = { id: "user_GRACE", email: "grace@example.com", firstName: "Grace", lastName: "H", role: "admin", permissions: ["admin:grants"] };
const EVE: FakeUser = { id: "user_EVE", email: "eve@example.com", emailVerified: false, firstName: "Eve", lastName: "U", role: "member", permissions: [] };
const GREEDY = "mcp offline_access shop:admin audit:read admin:grants made:up";
const body = (r: ToolResult) => JSON.parse((r.content as { text: string }[])[0]!.text);

let work: ReturnType<typeof tempDir>;
let fake: WorkosFake;
let server: RunningServer;
let origin: string;
let mcpUrl: string;
let remove: () => void;

beforeAll(async () => {
  work = tempDir("admin-pack");
  const project = await generate(work.dir, "admin-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,audit,admin"]);
  remove = project.remove;
  fake = await startWorkosFake([ADA, GRACE, EVE]);
  ({ server, origin, mcpUrl } = await startProxyServer(project.dir, fake, { ALLOWED_EMAIL_DOMAINS: "example.com" }));
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  remove?.();
  work?.cleanup();
});

/** Signs `person` in through a new agent (its own registration, consent and tokens). */
async function agentOf(person: FakeUser, name: string) {
  fake.signInAs(person);
  const provider = new MemoryOAuthProvider(undefined, name);
  const client = await connectWithSignIn(mcpUrl, provider, new CookieJar());
  return { client, provider };
}

async function stillWorks(client: McpClient): Promise<boolean> {
  try {
    await client.callTool({ name: "whoami", arguments: {} });
    return true;
  } catch {
    return false;
  }
}
const statusWith = async (token: string) => (await postMcp(mcpUrl, MCP_MESSAGES.toolsList, { token })).status;

describe("admin pack (proxy mode)", () => {
  it("lists and revokes a person's own grants; the revoked agent's next call gets 401", async () => {
    const first = await agentOf(ADA, "Ada's first agent");
    const second = await agentOf(ADA, "Ada's second agent");
    const { grants } = body(await first.client.callTool({ name: "list_grants", arguments: {} }));
    expect(grants.map((g: { client_name: string }) => g.client_name).sort()).toEqual(["Ada's first agent", "Ada's second agent"]);
    const secondGrant = grants.find((g: { client_id: string }) => g.client_id === second.provider.client!.client_id);
    expect(body(await first.client.callTool({ name: "revoke_grant", arguments: { grant_id: secondGrant.grant_id } }))).toMatchObject({ revoked: true });
    expect(await statusWith(second.provider.savedTokens!.access_token)).toBe(401);
    expect(await stillWorks(first.client)).toBe(true);
  });

  it("refuses other people's grants without admin:grants, and lets an admin revoke them", async () => {
    const ada = await agentOf(ADA, "Ada's third agent");
    const refused = await ada.client.callTool({ name: "list_grants", arguments: { user_id: GRACE.id } });
    expect(body(refused)).toMatchObject({ error: "permission_denied", permission: "admin:grants" });
    // Grace holds admin:grants; her agent asks for it, and she leaves it ticked on the consent page.
    fake.signInAs(GRACE);
    const grace = await signedInAgent(origin, "Grace's agent", undefined, "mcp admin:grants");
    const call = async (name: string, args: Record<string, unknown>) => toolJsonOf(await postMcp(mcpUrl, MCP_MESSAGES.callTool(name, args), { token: grace.access_token }));
    const { grants } = (await call("list_grants", { user_id: ADA.id })) as { grants: { grant_id: string; client_id: string }[] };
    const target = grants.find((g) => g.client_id === ada.provider.client!.client_id)!;
    expect(await call("revoke_grant", { grant_id: target.grant_id, user_id: ADA.id })).toMatchObject({ revoked: true });
    expect(await statusWith(ada.provider.savedTokens!.access_token)).toBe(401);
    expect((await call("revoke_grant", { grant_id: "nope", user_id: ADA.id })).error).toBe("not_found");
  });

  it("grants no permission for asking: a member's agent asking for every scope gets none of the permissions", async () => {
    fake.signInAs(ADA);
    const agent = await signedInAgent(origin, "Greedy agent", undefined, GREEDY);
    expect(agent.scope.split(" ").sort()).toEqual(["mcp", "offline_access"]);
    const call = async (name: string, args: Record<string, unknown> = {}) => toolJsonOf(await postMcp(mcpUrl, MCP_MESSAGES.callTool(name, args), { token: agent.access_token }));
    expect(await call("whoami")).toMatchObject({ permissions: [], permission_sources: {}, scopes: ["mcp", "offline_access"] });
    expect(await call("audit_log")).toMatchObject({ error: "permission_denied", permission: "audit:read" });
    expect(await call("list_grants", { user_id: GRACE.id })).toMatchObject({ error: "permission_denied", permission: "admin:grants" });
  });

  it("grants a permission scope only while the person holds it: a refresh after losing it drops it", async () => {
    fake.signInAs(GRACE);
    const agent = await signedInAgent(origin, "Admin agent", undefined, GREEDY);
    expect(agent.scope.split(" ").sort()).toEqual(["admin:grants", "mcp", "offline_access"]); // not audit:read: she lacks it
    fake.users.set(GRACE.id, { ...GRACE, role: "member", permissions: [] });
    try {
      const refreshed = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: agent.refresh_token, client_id: agent.clientId });
      expect(refreshed.status).toBe(200);
      const tokens = (await refreshed.json()) as { access_token: string; scope: string };
      expect(tokens.scope.split(" ").sort()).toEqual(["mcp", "offline_access"]);
      const whoami = await toolJsonOf(await postMcp(mcpUrl, MCP_MESSAGES.callTool("whoami"), { token: tokens.access_token }));
      expect(whoami).toMatchObject({ role: "member", permissions: [], scopes: ["mcp", "offline_access"] });
    } finally {
      fake.users.set(GRACE.id, GRACE);
    }
  });

  it("counts an email for ALLOWED_EMAIL_DOMAINS only when WorkOS says it is verified: a refused person gets a page at sign-in, no grant", async () => {
    fake.signInAs(EVE);
    const refused = await authorizeNewAgent(origin, "Eve's agent");
    if ("redirect" in refused) throw new Error(`not refused: ${refused.redirect}`);
    expect(refused.response.status).toBe(403);
    expect(refused.url.startsWith(`${origin}/callback?`)).toBe(true);
    expect(refused.html).toMatch(/<p id="problem">eve@example\.com is not verified by the sign-in provider[^<]*user_EVE[^<]*\.<\/p>/);
    expect(refused.html).toContain('<p id="advice">To use another account, sign out of WorkOS AuthKit, then start connecting again from your app.</p>');
  });
});
