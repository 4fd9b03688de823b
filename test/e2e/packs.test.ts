import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { CONFIRMS, connectMcp, type RunningServer, startDevServer, MCP_MESSAGES, postMcp, type McpClient, type ToolResult } from "../helpers/server.js";

// Issue 4 end to end: the tool packs and the access policy on both targets, with several signed-in people whose
// tokens come from the WorkOS stand-in (direct mode), through the real MCP SDK client (v2, 2026-07-28), whose person
// confirms every order they are asked about (order_shirt runs only once confirmed).
const person = (id: string, first: string, permissions: string[] = [], email = `${first.toLowerCase()}@example.com`): FakeUser => ({
  id: `user_${id}`,
  email,
  firstName: first,
  lastName: "Test",
  organizationId: "org_TEST",
  role: permissions.length ? "admin" : "member",
  permissions,
});
const ADA = person("ADA", "Ada");
const BOB = person("BOB", "Bob");
const GRACE = person("GRACE", "Grace", ["shop:admin", "audit:read"]);
const IDA = person("IDA", "Ida");
const LOU = person("LOU", "Lou");
const QUINN = person("QUINN", "Quinn");
const EVE = person("EVE", "Eve", [], "eve@evil.example");
const UNA: FakeUser = { ...person("UNA", "Una"), emailVerified: false };
const MAL = person("MAL", "Mal", [], "mal@example.com@evil.example");
const ORDERS_PER_USER = 3;
const CALLS_PER_MINUTE = 60;
const ADDRESS = "12 St James's Square, London SW1Y 4JH";

const settingsFor = (workos: WorkosFake) => ({
  AUTHKIT_DOMAIN: workos.url,
  WORKOS_API_HOSTNAME: workos.apiHostname,
  WORKOS_API_KEY: workos.apiKey,
  ORDERS_PER_USER: String(ORDERS_PER_USER),
  CALLS_PER_MINUTE: String(CALLS_PER_MINUTE),
  ALLOWED_EMAIL_DOMAINS: "example.com",
});

const body = (result: ToolResult) => JSON.parse((result.content as { text: string }[])[0]!.text);
const order = (key?: string) => ({ size: "L", name: "Test Person", company: "", address: ADDRESS, ...(key ? { idempotency_key: key } : {}) });

/** Waits out the last seconds of a minute, so a burst of calls lands in one fixed quota window. */
async function awayFromWindowEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 52_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
}

let work: ReturnType<typeof tempDir>;
let workos: WorkosFake;
beforeAll(async () => {
  work = tempDir("packs");
  workos = await startWorkosFake([ADA, BOB, GRACE, IDA, LOU, QUINN, EVE, UNA, MAL]);
});
afterAll(async () => {
  await workos.close();
  work.cleanup();
});

describe.each(["node", "workers"])("tool packs on %s", (target) => {
  let server: RunningServer;
  let dir: string;
  let remove: () => void;
  const clients: McpClient[] = [];
  const as = async (user: FakeUser) => {
    const mcp = `http://127.0.0.1:${server.port}/mcp`;
    const client = await connectMcp(mcp, { authorization: `Bearer ${await workos.mintAccessToken(user, mcp)}` }, "2026-07-28", CONFIRMS);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    const project = await generate(work.dir, `packs-${target}`, ["-t", "workos", "--auth-mode", "direct", "--target", target, "--tools", "whoami,shop,demo-mode,audit"]);
    ({ dir, remove } = project);
    server = await startDevServer(dir, settingsFor(workos));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
    remove?.();
  });

  it("keeps each person's orders to themselves, and shows shop:admin everyone's", async () => {
    const [ada, bob, grace] = [await as(ADA), await as(BOB), await as(GRACE)];
    const adas = body(await ada.callTool({ name: "order_shirt", arguments: order() }));
    const bobs = body(await bob.callTool({ name: "order_shirt", arguments: order() }));
    expect(adas).toMatchObject({ status: "placed", size: "L", order_id: expect.any(String), created_at: expect.any(String) });
    const ownIds = (r: ToolResult) => body(r).orders.map((o: { order_id: string }) => o.order_id);
    expect(ownIds(await ada.callTool({ name: "list_orders", arguments: {} }))).toEqual([adas.order_id]);
    expect(ownIds(await bob.callTool({ name: "list_orders", arguments: {} }))).toEqual([bobs.order_id]);
    const all = body(await grace.callTool({ name: "list_orders", arguments: {} })).orders;
    expect(all).toEqual(expect.arrayContaining([
      { order_id: adas.order_id, owner: ADA.id, size: "L", created_at: adas.created_at },
      { order_id: bobs.order_id, owner: BOB.id, size: "L", created_at: bobs.created_at },
    ]));
  });

  it("bans one person across sessions, and not the others, without asking them to confirm what is refused; pretty please lifts it", async () => {
    const ada = await as(ADA);
    await ada.callTool({ name: "set_demo_mode", arguments: { mode: "banned" } });
    const asked: string[] = [];
    const mcp = `http://127.0.0.1:${server.port}/mcp`;
    const adaAgain = await connectMcp(mcp, { authorization: `Bearer ${await workos.mintAccessToken(ADA, mcp)}` }, "2026-07-28", (message) => (asked.push(message), CONFIRMS(message)));
    clients.push(adaAgain); // a new session, as another agent would open
    const refused = await adaAgain.callTool({ name: "order_shirt", arguments: order() });
    expect(refused.isError).toBe(true);
    expect(body(refused)).toMatchObject({ error: "banned", message: expect.stringMatching(/absolutely not/i) });
    expect(asked).toEqual([]);
    expect((await adaAgain.callTool({ name: "list_inventory", arguments: {} })).isError).toBeFalsy();
    expect(body(await (await as(BOB)).callTool({ name: "order_shirt", arguments: order() })).status).toBe("placed");
    await adaAgain.callTool({ name: "pretty_please", arguments: {} });
    expect(body(await ada.callTool({ name: "order_shirt", arguments: order() })).status).toBe("placed");
  });

  it("places exactly one order for 50 concurrent calls with one idempotency key", async () => {
    await awayFromWindowEdge();
    const ida = await as(IDA);
    const results = (await Promise.all(Array.from({ length: 50 }, () => ida.callTool({ name: "order_shirt", arguments: order("same-key") })))).map(body);
    expect(results.filter((r) => r.status === "placed")).toHaveLength(1);
    expect(new Set(results.map((r) => r.order_id)).size).toBe(1);
    expect(body(await ida.callTool({ name: "list_orders", arguments: {} })).orders).toHaveLength(1);
  });

  // 50 orders asked about and confirmed are 100 rounds, past CALLS_PER_MINUTE=60: only the confirmed runs count.
  it(`lets exactly ORDERS_PER_USER=${ORDERS_PER_USER} of 50 concurrent confirmed orders through; asking counts on no quota`, async () => {
    await awayFromWindowEdge();
    const lou = await as(LOU);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => lou.callTool({ name: "order_shirt", arguments: order(`key-${i}`) })));
    expect(results.filter((r) => !r.isError)).toHaveLength(ORDERS_PER_USER);
    const refusals = results.filter((r) => r.isError).map(body);
    expect(refusals.every((r) => r.error === "order_limit" && r.retry_after_s > 0)).toBe(true);
  });

  it(`lets exactly CALLS_PER_MINUTE=${CALLS_PER_MINUTE} of 100 concurrent calls through, saying when to retry`, async () => {
    await awayFromWindowEdge();
    const quinn = await as(QUINN);
    const results = await Promise.all(Array.from({ length: 100 }, () => quinn.callTool({ name: "whoami", arguments: {} })));
    expect(results.filter((r) => !r.isError)).toHaveLength(CALLS_PER_MINUTE);
    const refusal = body(results.find((r) => r.isError)!);
    expect(refusal).toMatchObject({ error: "rate_limited", retry_after_s: expect.any(Number) });
    expect(refusal.retry_after_s).toBeGreaterThan(0);
    expect(refusal.retry_after_s).toBeLessThanOrEqual(60);
  });

  it("refuses a person outside the allowlist at the HTTP layer, saying why", async () => {
    const mcp = `http://127.0.0.1:${server.port}/mcp`;
    const token = await workos.mintAccessToken(EVE, mcp);
    const response = await postMcp(mcp, MCP_MESSAGES.initialize, { token });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "not_allowed", message: expect.stringContaining("ALLOWED_EMAIL_DOMAINS") });
  });

  it("counts an email for the allowlist only when WorkOS verified it, at the domain after its last @", async () => {
    const mcp = `http://127.0.0.1:${server.port}/mcp`;
    const unverified = await postMcp(mcp, MCP_MESSAGES.initialize, { token: await workos.mintAccessToken(UNA, mcp) });
    expect(unverified.status).toBe(403);
    expect(await unverified.json()).toMatchObject({ message: expect.stringMatching(/una@example\.com is not verified.*user_UNA/) });
    const twoAts = await postMcp(mcp, MCP_MESSAGES.initialize, { token: await workos.mintAccessToken(MAL, mcp) });
    expect(twoAts.status).toBe(403);
  });

  it("takes permissions from the role only: a token's scopes named like permissions grant nothing", async () => {
    const mcp = `http://127.0.0.1:${server.port}/mcp`;
    const token = await workos.mintAccessToken(BOB, mcp, { claims: { scope: "openid audit:read shop:admin" } });
    const bob = await connectMcp(mcp, { authorization: `Bearer ${token}` });
    clients.push(bob);
    expect(body(await bob.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ permissions: [], permission_sources: {}, scopes: ["openid", "audit:read", "shop:admin"] });
    expect(body(await bob.callTool({ name: "audit_log", arguments: {} }))).toMatchObject({ error: "permission_denied", permission: "audit:read" });
    const grace = body(await (await as(GRACE)).callTool({ name: "whoami", arguments: {} }));
    expect(grace.permission_sources).toEqual({ "shop:admin": "role", "audit:read": "role" });
  });

  // (Runs after the tests above, whose calls — a ban refusal among them — it expects to find.)
  it("records every call for auditors only, with who, which agent and the outcome, and no addresses or tokens", async () => {
    const bob = await as(BOB);
    const denied = await bob.callTool({ name: "audit_log", arguments: {} });
    expect(body(denied)).toMatchObject({ error: "permission_denied", permission: "audit:read" });
    const grace = await as(GRACE);
    const readAll = async (limit: number) => {
      const all: { at: string; user_id: string; tool: string; outcome: string }[] = [];
      for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
        const page = body(await grace.callTool({ name: "audit_log", arguments: { limit, ...(cursor ? { cursor } : {}) } }));
        all.push(...page.entries);
        cursor = page.next_cursor;
      }
      return all;
    };
    const entries = await readAll(100);
    expect(entries.map((e) => e.at)).toEqual(entries.map((e) => e.at).sort().reverse());
    // Small pages read the same log: the same entries in the same order, behind the audit_log calls made meanwhile.
    const paged = await readAll(9);
    expect(paged.slice(paged.length - entries.length)).toEqual(entries);
    expect(paged.slice(0, paged.length - entries.length).every((e) => e.tool === "audit_log" && e.user_id === GRACE.id)).toBe(true);
    expect(entries).toContainEqual({
      at: expect.any(String),
      kind: "call",
      user_id: BOB.id,
      identity_kind: "person",
      client_id: "client_minted",
      client_name: null, // direct mode: tokens name the client's id only
      tool: "audit_log",
      outcome: "denied:permission",
    });
    expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ user_id: ADA.id, tool: "order_shirt", outcome: "refused:banned" })]));
    // Each order: the round that asked the person, then the run they confirmed, saying who confirmed.
    expect(entries).toContainEqual(expect.objectContaining({ user_id: BOB.id, tool: "order_shirt", outcome: "confirmation_requested", confirmation: "requested" }));
    expect(entries).toContainEqual(
      expect.objectContaining({ user_id: BOB.id, tool: "order_shirt", outcome: "ok", confirmation: "confirmed", confirmation_by: BOB.id, confirmation_via: "elicitation" }),
    );
    const text = JSON.stringify(entries);
    expect(text).not.toContain("St James");
    expect(text).not.toMatch(/eyJ[\w-]+\./);
  });

  it("keeps orders and bans across a restart", async () => {
    const ada = await as(ADA);
    await ada.callTool({ name: "set_demo_mode", arguments: { mode: "banned" } });
    const before = body(await (await as(BOB)).callTool({ name: "list_orders", arguments: {} })).orders;
    await server.stop();
    server = await startDevServer(dir, settingsFor(workos));
    const after = body(await (await as(BOB)).callTool({ name: "list_orders", arguments: {} })).orders;
    expect(after).toEqual(before);
    expect(body(await (await as(ADA)).callTool({ name: "order_shirt", arguments: order() })).error).toBe("banned");
  });
});

describe.each(["node", "workers"])("authless on %s: one shared state", (target) => {
  it("applies one caller's ban to everyone, and counts quotas per client address (a forged CF-Connecting-IP changes nothing)", async () => {
    const project = await generate(work.dir, `packs-authless-${target}`, ["-t", "authless", "--target", target, "--tools", "shop,demo-mode"]);
    // Orders here are about shared state, not confirmation: the 2025-era clients below could not be asked.
    const server = await startDevServer(project.dir, { CALLS_PER_MINUTE: "5", CONFIRM_TOOLS: "none" });
    try {
      await awayFromWindowEdge();
      const mcp = `http://127.0.0.1:${server.port}/mcp`;
      // Each client claims another address, as a web page may under `wrangler dev`.
      const [one, two] = [await connectMcp(mcp, { "cf-connecting-ip": "203.0.113.1" }), await connectMcp(mcp, { "cf-connecting-ip": "203.0.113.2" })];
      // With confirmation off, the tool list no longer promises it.
      expect((await one.listTools()).tools.find((t) => t.name === "order_shirt")?.description).not.toContain("confirm");
      await one.callTool({ name: "set_demo_mode", arguments: { mode: "banned" } });
      expect(body(await two.callTool({ name: "order_shirt", arguments: order() })).error).toBe("banned");
      // Both clients share 127.0.0.1: together they have had 2 of 5 calls; 3 more pass, then both are limited.
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).callTool({ name: "list_inventory", arguments: {} })));
      expect(results.filter((r) => !r.isError)).toHaveLength(3);
      await Promise.all([one.close(), two.close()]);
    } finally {
      await server.stop();
      project.remove();
    }
  });
});
