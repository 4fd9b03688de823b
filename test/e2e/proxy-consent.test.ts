import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate, projectScript } from "../helpers/project.js";
import {
  authorizeInBrowser,
  authorizeUrl,
  CookieJar,
  followUntil,
  MemoryOAuthProvider,
  openAuthorization,
  pkce,
  registerClient,
  startProxyServer,
  submitConsent,
  tokenRequest,
} from "../helpers/proxy-oauth.js";
import { MCP_MESSAGES, newClient, postMcp, toolJson, toolJsonOf } from "../helpers/server.js";

// What a person lets an agent do in WorkOS proxy mode on Workers: the permissions they hold are boxes on the consent
// page they can untick; a token carries only what was granted; a call needing a permission the person holds but the
// token lacks gets a 403 insufficient_scope challenge (step-up), one they do not hold a tool error.
const ADA: FakeUser = { id: "user_ADA", email: "ada@example.com", firstName: "Ada", lastName: "L", role: "auditor", permissions: ["audit:read"] };
const BOB: FakeUser = { id: "user_BOB", email: "bob@example.com", firstName: "Bob", lastName: "M", role: "member", permissions: [] };

let work: ReturnType<typeof tempDir> | undefined;
let fake: WorkosFake;
let running: Awaited<ReturnType<typeof startProxyServer>> | undefined;
let origin: string;
let mcpUrl: string;

beforeAll(async () => {
  work = tempDir("proxy-consent");
  const { dir } = await generate(work.dir, "consent-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,audit,admin"]);
  await projectScript(dir, "typecheck");
  fake = await startWorkosFake([ADA, BOB]);
  running = await startProxyServer(dir, fake);
  ({ origin, mcpUrl } = running);
});
afterAll(async () => {
  await running?.server.stop();
  await fake?.close();
  work?.cleanup(); // the project is inside it
});

const AGENT_REDIRECT = "http://127.0.0.1:9/cb";

/** A new agent asking for `scope`, through sign-in to its consent page in `jar`, with what it needs to redeem a code. */
async function consentFor(person: FakeUser, name: string, scope: string, jar = new CookieJar()) {
  fake.signInAs(person);
  const registered = (await (await registerClient(origin, { client_name: name, redirect_uris: [AGENT_REDIRECT] })).json()) as { client_id: string };
  return { ...(await reauthorize(registered.client_id, scope, jar)), clientId: registered.client_id };
}

/** Another authorization by an agent already registered: its consent page, or the redirect back when it is remembered. */
async function reauthorize(clientId: string, scope: string, jar: CookieJar) {
  const { verifier, challenge } = pkce();
  const url = authorizeUrl(origin, { client_id: clientId, redirect_uri: AGENT_REDIRECT, state: "s", scope, code_challenge: challenge, code_challenge_method: "S256" });
  return { opened: await openAuthorization(jar, url), verifier, jar };
}

/** Redeems the code at `back` for tokens. */
async function redeem(back: string, clientId: string, verifier: string) {
  const code = new URL(back).searchParams.get("code") ?? "";
  const response = await tokenRequest(origin, { grant_type: "authorization_code", code, redirect_uri: AGENT_REDIRECT, code_verifier: verifier, client_id: clientId });
  const tokens = (await response.json()) as { access_token: string; refresh_token: string; scope: string };
  if (!tokens.access_token) throw new Error(`no tokens: ${JSON.stringify(tokens)}`);
  return tokens;
}

/** Approves a consent page posting `permissions` as the ticked boxes, and redeems the code. */
async function approveWith(flow: Awaited<ReturnType<typeof consentFor>>, permissions: string[]) {
  if ("redirect" in flow.opened) throw new Error(`no consent page: ${flow.opened.redirect}`);
  const approved = await submitConsent(flow.jar, flow.opened, "approve", {}, permissions);
  return redeem(await followUntil(flow.jar, approved, `${origin}/authorize`, AGENT_REDIRECT), flow.clientId, flow.verifier);
}

const call = (token: string, name: string, args: Record<string, unknown> = {}) => postMcp(mcpUrl, MCP_MESSAGES.callTool(name, args), { token });

describe("consent, effective permissions and step-up (proxy mode)", () => {
  it("publishes the tools' scopes in the resource metadata, while the 401 challenge names only mcp", async () => {
    const metadata = (await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`)).json()) as { scopes_supported: string[] };
    expect(metadata.scopes_supported).toEqual(["mcp", "audit:read", "admin:grants"]);
    const unauthenticated = await postMcp(mcpUrl, MCP_MESSAGES.initialize, { token: null });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("www-authenticate")).toContain('scope="mcp"');
  });

  it("steps up with the SDK v2 client: asking only for mcp, audit_log gets 403 naming mcp + audit:read; re-authorized, it succeeds", async () => {
    fake.signInAs(ADA);
    const provider = new MemoryOAuthProvider(undefined, "Stepping-up agent");
    const jar = new CookieJar();
    const first = newClient("2026-07-28", mcpUrl, { authProvider: provider });
    await expect(first.connect()).rejects.toThrow(); // 401: the SDK starts an authorization
    await first.finishAuth(await authorizeInBrowser(jar, provider.authorizationUrl!.toString(), provider.redirectUri));
    const granted = provider.savedTokens!.scope!.split(" ");
    expect(granted).not.toContain("audit:read");
    expect(await toolJsonOf(await call(provider.savedTokens!.access_token, "whoami"))).toMatchObject({ permissions: [], scopes: granted });

    // The challenge itself, as a raw request: every scope the call needs, with those already granted.
    const raw = await call(provider.savedTokens!.access_token, "audit_log");
    expect(raw.status).toBe(403);
    const challenge = raw.headers.get("www-authenticate")!;
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge.match(/scope="([^"]*)"/)![1]!.split(" ").sort()).toEqual([...new Set([...granted, "audit:read"])].sort());
    expect(challenge).toContain(`resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`);

    const agent = newClient("2026-07-28", mcpUrl, { authProvider: provider });
    await agent.connect();
    provider.authorizationUrl = undefined;
    await expect(agent.client.callTool({ name: "audit_log", arguments: {} })).rejects.toThrow();
    const asked = new URL(provider.authorizationUrl!);
    expect(asked.searchParams.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["mcp", "audit:read"]));
    // She asked for more than she granted before, so the consent page shows again (audit:read ticked) rather than being skipped.
    await agent.finishAuth(await authorizeInBrowser(jar, asked.toString(), provider.redirectUri));
    expect(provider.savedTokens!.scope!.split(" ")).toContain("audit:read");
    const log = toolJson(await agent.client.callTool({ name: "audit_log", arguments: {} })) as { entries: { tool: string; outcome: string; client_id: string }[] };
    expect(log.entries).toContainEqual(expect.objectContaining({ tool: "audit_log", outcome: "denied:scope", client_id: provider.client!.client_id }));
    expect(toolJson(await agent.client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ permissions: ["audit:read"], permission_sources: { "audit:read": "role" } });
    await agent.client.close();
  });

  it("leaves out a permission she unticks: the token lacks it, whoami shows none, audit_log is refused; asking again shows the page again", async () => {
    const flow = await consentFor(ADA, "Unticked agent", "mcp audit:read");
    if ("redirect" in flow.opened) throw new Error("consent page expected");
    expect(flow.opened.html).toMatch(/<input type="checkbox" name="permission" value="audit:read" checked>/);
    const tokens = await approveWith(flow, []);
    expect(tokens.scope).toBe("mcp");
    expect(await toolJsonOf(await call(tokens.access_token, "whoami"))).toMatchObject({ user: { id: ADA.id }, permissions: [], permission_sources: {}, scopes: ["mcp"] });
    expect((await call(tokens.access_token, "audit_log")).status).toBe(403);

    // Remembered approval: the same request in the same browser asks again (audit:read was not granted) …
    const again = await reauthorize(flow.clientId, "mcp audit:read", flow.jar);
    expect("handle" in again.opened).toBe(true);
    // … while asking only for what she granted goes straight back, still without audit:read.
    const remembered = await reauthorize(flow.clientId, "mcp", flow.jar);
    if (!("redirect" in remembered.opened)) throw new Error("expected the remembered approval to skip the page");
    expect((await redeem(remembered.opened.redirect, flow.clientId, remembered.verifier)).scope).toBe("mcp");
  });

  it("never grants a permission the person does not hold, even from a forged form; the call then is a tool error, not a 403", async () => {
    const flow = await consentFor(BOB, "Forging agent", "mcp audit:read admin:grants");
    if ("redirect" in flow.opened) throw new Error("consent page expected");
    expect(flow.opened.html).toMatch(/<li class="unavailable"><label><input type="checkbox" disabled><span><code>audit:read<\/code>/);
    expect(flow.opened.html).not.toMatch(/name="permission"/);
    const tokens = await approveWith(flow, ["audit:read", "admin:grants", "made:up"]);
    expect(tokens.scope).toBe("mcp");
    const refused = await call(tokens.access_token, "audit_log");
    expect(refused.status).toBe(200);
    expect(await toolJsonOf(refused)).toMatchObject({ error: "permission_denied", permission: "audit:read" });
  });

  it("records who authorized what: each authorization, each Deny, each revocation (and by whom), each call with its kind and agent", async () => {
    const refused = await consentFor(BOB, "Refused agent", "mcp");
    if ("redirect" in refused.opened) throw new Error("consent page expected");
    expect((await submitConsent(refused.jar, refused.opened, "deny")).status).toBe(302);
    const bob = await approveWith(await consentFor(BOB, "Revoked agent", "mcp"), []);
    const { grants } = (await toolJsonOf(await call(bob.access_token, "list_grants"))) as { grants: { grant_id: string; client_id: string; client_name: string }[] };
    const grant = grants.find((g) => g.client_name === "Revoked agent")!;
    expect(await toolJsonOf(await call(bob.access_token, "revoke_grant", { grant_id: grant.grant_id }))).toMatchObject({ revoked: true });

    const auditor = await approveWith(await consentFor(ADA, "Auditor", "mcp audit:read"), ["audit:read"]);
    const { entries } = (await toolJsonOf(await call(auditor.access_token, "audit_log", { limit: 100 }))) as { entries: Record<string, unknown>[] };
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: "consent_denied", user_id: BOB.id, client_id: refused.clientId, client_name: "Refused agent", asked: ["mcp"] }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: "authorization", user_id: BOB.id, client_id: grant.client_id, client_name: "Revoked agent", permissions: [], scopes: ["mcp"] }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: "revocation", user_id: BOB.id, client_id: grant.client_id, client_name: "Revoked agent", grant_id: grant.grant_id, revoked_by: BOB.id, via: "revoke_grant" }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: "call", identity_kind: "person", user_id: BOB.id, client_id: grant.client_id, client_name: "Revoked agent", tool: "revoke_grant", outcome: "ok" }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ kind: "authorization", user_id: ADA.id, client_name: "Auditor", permissions: ["audit:read"] }));
    expect(entries.every((e) => !("args_sha256" in e))).toBe(true);
  });

  it("records the revocations an agent or WorkOS makes: RFC 7009 at /token by the agent itself, and a grant lost at a refresh", async () => {
    const CAROL: FakeUser = { id: "user_CAROL", email: "carol@example.com", firstName: "Carol", lastName: "K", role: "member", permissions: [] };
    fake.users.set(CAROL.id, CAROL);
    const selfRevoking = await approveWith(await consentFor(CAROL, "Self-revoking agent", "mcp"), []);
    const leaversAgent = await consentFor(CAROL, "Leaver's agent", "mcp");
    const lost = await approveWith(leaversAgent, []);
    const selfId = ((await toolJsonOf(await call(selfRevoking.access_token, "whoami"))) as { client_id: string }).client_id;

    // An access token alone: the grant stays, nothing is recorded as revoked.
    expect((await tokenRequest(origin, { token: selfRevoking.access_token, client_id: selfId })).status).toBe(200);
    expect((await call(selfRevoking.access_token, "whoami")).status).toBe(401);
    // The refresh token: the whole grant goes, by the agent's own hand.
    expect((await tokenRequest(origin, { token: selfRevoking.refresh_token, token_type_hint: "refresh_token", client_id: selfId })).status).toBe(200);
    const refreshAfter = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: selfRevoking.refresh_token, client_id: selfId });
    expect(refreshAfter.status).toBe(400);

    // Carol leaves the WorkOS environment: her agent's next refresh gets invalid_grant, and its grant is revoked.
    fake.users.delete(CAROL.id);
    const refused = await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: lost.refresh_token, client_id: leaversAgent.clientId });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");

    const auditor = await approveWith(await consentFor(ADA, "Revocation auditor", "mcp audit:read"), ["audit:read"]);
    const log = async (filter: Record<string, string>) =>
      ((await toolJsonOf(await call(auditor.access_token, "audit_log", { limit: 100, ...filter }))) as { entries: Record<string, unknown>[] }).entries;
    expect(await log({ agent: selfId, event: "revocation" })).toEqual([
      expect.objectContaining({ kind: "revocation", user_id: CAROL.id, client_id: selfId, client_name: "Self-revoking agent", revoked_by: selfId, via: "token_revocation" }),
    ]);
    expect(await log({ agent: leaversAgent.clientId, event: "revocation" })).toEqual([
      expect.objectContaining({ kind: "revocation", user_id: CAROL.id, client_id: leaversAgent.clientId, client_name: "Leaver's agent", revoked_by: "WorkOS AuthKit", via: "refresh_refused" }),
    ]);
  });

  it("filters audit_log by agent and by kind, correctly across pages", async () => {
    const agent = await approveWith(await consentFor(ADA, "Filtered agent", "mcp audit:read"), ["audit:read"]);
    for (let i = 0; i < 3; i++) expect((await call(agent.access_token, "whoami")).status).toBe(200);
    const clientId = ((await toolJsonOf(await call(agent.access_token, "whoami"))) as { client_id: string }).client_id;
    /** Every page of audit_log with `filter`, one entry a page. */
    const everyPage = async (filter: Record<string, string>) => {
      const entries: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      do {
        const page = (await toolJsonOf(await call(agent.access_token, "audit_log", { ...filter, limit: 1, ...(cursor ? { cursor } : {}) }))) as {
          entries: Record<string, unknown>[];
          next_cursor: string | null;
        };
        // Filtered before the page is cut: a page is short only when nothing matches at all.
        if (page.entries.length === 0) expect([cursor, entries.length]).toEqual([null, 0]);
        entries.push(...page.entries);
        cursor = page.next_cursor;
      } while (cursor);
      return entries;
    };
    const mine = await everyPage({ agent: clientId });
    // Its authorization, four whoami calls, and the audit_log calls before this listing began (none yet).
    expect(mine.map((e) => [e.kind, e.tool ?? null])).toEqual([
      ["call", "whoami"],
      ["call", "whoami"],
      ["call", "whoami"],
      ["call", "whoami"],
      ["authorization", null],
    ]);
    const authorizations = await everyPage({ event: "authorization" });
    expect(authorizations.length).toBeGreaterThanOrEqual(5);
    expect(authorizations.every((e) => e.kind === "authorization")).toBe(true);
    expect(new Set(authorizations.map((e) => `${e.at}${e.client_id}`)).size).toBe(authorizations.length); // no repeats
    expect(await everyPage({ event: "consent_denied", agent: clientId })).toEqual([]);
  });
});
