import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { startRedis } from "../helpers/redis.js";
import { CONFIRMS, connectMcp, type RunningServer, startDevServer, type McpClient, type ToolResult } from "../helpers/server.js";
import { answerConfirmation, askToConfirm } from "../helpers/confirm.js";

// Node with REDIS_URL: two server processes on one real redis-server share orders, bans, quotas and spent
// confirmations, exactly. Clients are SDK v2 (2026-07-28) with a person who confirms every order.
const user = (name: string): FakeUser => ({ id: `user_${name}`, email: `${name}@example.com`, firstName: name, lastName: "Test", permissions: [] });
const [ADA, IDA, LOU, QUINN, MAX, RIA, CY] = ["ada", "ida", "lou", "quinn", "max", "ria", "cy"].map(user) as [FakeUser, FakeUser, FakeUser, FakeUser, FakeUser, FakeUser, FakeUser];
const AUDITOR: FakeUser = { ...user("aud"), role: "auditor", permissions: ["audit:read"] };
const ORDERS_PER_USER = 4;
const CALLS_PER_MINUTE = 30;
const CALLS_PER_MINUTE_PER_AGENT = 20;
const body = (r: ToolResult) => JSON.parse((r.content as { text: string }[])[0]!.text);
const order = (key: string) => ({ size: "M", name: "Test", company: "", address: "1 Main Street, Springfield", idempotency_key: key });

let work: ReturnType<typeof tempDir>;
let workos: WorkosFake;
let redis: Awaited<ReturnType<typeof startRedis>>;
let servers: RunningServer[] = [];
let remove: () => void;

beforeAll(async () => {
  work = tempDir("redis");
  workos = await startWorkosFake([ADA, IDA, LOU, QUINN, MAX, RIA, CY, AUDITOR]);
  redis = await startRedis();
  const project = await generate(work.dir, "redis-node", ["-t", "workos", "--target", "node", "--tools", "shop,demo-mode,audit"]);
  remove = project.remove;
  const env = {
    AUTHKIT_DOMAIN: workos.url,
    WORKOS_API_HOSTNAME: workos.apiHostname,
    REDIS_URL: redis.url,
    ORDERS_PER_USER: String(ORDERS_PER_USER),
    CALLS_PER_MINUTE: String(CALLS_PER_MINUTE),
    CALLS_PER_MINUTE_PER_AGENT: String(CALLS_PER_MINUTE_PER_AGENT),
    // One key for both processes, as deployed instances share it: a state either one signed, either one verifies.
    REQUEST_STATE_KEY: "redis-test-request-state-key-0123456789abcdef",
  };
  servers = [await startDevServer(project.dir, env), await startDevServer(project.dir, env)];
}, 300_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await redis?.stop();
  await workos?.close();
  remove?.();
  work?.cleanup();
});

/** The same person connected to both server processes (through one agent, or the agent named for each). */
async function onBoth(person: FakeUser, agents?: [string, string]): Promise<[McpClient, McpClient]> {
  const clients = await Promise.all(
    servers.map(async (s, i) => {
      const mcp = `http://127.0.0.1:${s.port}/mcp`;
      const options = agents ? { claims: { client_id: agents[i] } } : undefined;
      return connectMcp(mcp, { authorization: `Bearer ${await workos.mintAccessToken(person, mcp, options)}` }, "2026-07-28", CONFIRMS);
    }),
  );
  return clients as [McpClient, McpClient];
}

async function awayFromWindowEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 52_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
}

describe("two Node processes sharing Redis", () => {
  it("see the same orders and the same ban", async () => {
    const [a, b] = await onBoth(ADA);
    const placed = body(await a.callTool({ name: "order_shirt", arguments: order("first") }));
    expect(body(await b.callTool({ name: "list_orders", arguments: {} })).orders.map((o: { order_id: string }) => o.order_id)).toEqual([placed.order_id]);
    await b.callTool({ name: "set_demo_mode", arguments: { mode: "banned" } });
    expect(body(await a.callTool({ name: "order_shirt", arguments: order("second") })).error).toBe("banned");
    await a.callTool({ name: "pretty_please", arguments: {} });
    expect(body(await b.callTool({ name: "order_shirt", arguments: order("third") })).status).toBe("placed");
  });

  it(`place one order for ${CALLS_PER_MINUTE} concurrent calls with one key, split across both`, async () => {
    await awayFromWindowEdge();
    const [a, b] = await onBoth(IDA, ["agent_ida_1", "agent_ida_2"]); // within CALLS_PER_MINUTE_PER_AGENT
    const results = (await Promise.all(Array.from({ length: CALLS_PER_MINUTE }, (_, i) => (i % 2 ? a : b).callTool({ name: "order_shirt", arguments: order("same") })))).map(body);
    expect(results.filter((r) => r.status === "placed")).toHaveLength(1);
    expect(new Set(results.map((r) => r.order_id)).size).toBe(1);
  });

  it(`let exactly ORDERS_PER_USER=${ORDERS_PER_USER} of 50 concurrent orders through, split across both`, async () => {
    await awayFromWindowEdge();
    const [a, b] = await onBoth(LOU);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).callTool({ name: "order_shirt", arguments: order(`k${i}`) })));
    expect(results.filter((r) => !r.isError)).toHaveLength(ORDERS_PER_USER);
  });

  it(`let exactly CALLS_PER_MINUTE=${CALLS_PER_MINUTE} of 50 concurrent calls through, split across both`, async () => {
    await awayFromWindowEdge();
    // One agent per process, so CALLS_PER_MINUTE_PER_AGENT leaves room for the per-person limit to be the one reached.
    const [a, b] = await onBoth(QUINN, ["agent_quinn_1", "agent_quinn_2"]);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).callTool({ name: "list_inventory", arguments: {} })));
    expect(results.filter((r) => !r.isError)).toHaveLength(CALLS_PER_MINUTE);
    expect(body(results.find((r) => r.isError)!)).toMatchObject({ error: "rate_limited", retry_after_s: expect.any(Number) });
  });

  it(`hold CALLS_PER_MINUTE_PER_AGENT=${CALLS_PER_MINUTE_PER_AGENT} for each of a person's two agents and CALLS_PER_MINUTE across both, under 50 concurrent calls split across both`, async () => {
    await awayFromWindowEdge();
    // Each agent talks to both processes.
    const [first1, first2] = await onBoth(MAX, ["agent_max_1", "agent_max_1"]);
    const [second1, second2] = await onBoth(MAX, ["agent_max_2", "agent_max_2"]);
    const byAgent = [[first1, first2], [second1, second2]] as const;
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => ({ agent: i % 2, result: await byAgent[i % 2]![(i >> 1) % 2]!.callTool({ name: "list_inventory", arguments: {} }) })),
    );
    const allowed = [0, 1].map((agent) => results.filter((r) => r.agent === agent && !r.result.isError).length);
    expect(allowed[0]! + allowed[1]!).toBe(CALLS_PER_MINUTE);
    for (const count of allowed) expect(count).toBeLessThanOrEqual(CALLS_PER_MINUTE_PER_AGENT);
    for (const { agent, result } of results.filter((r) => r.result.isError)) {
      const refusal = body(result);
      expect(refusal).toMatchObject({ error: "rate_limited", limit: expect.stringMatching(/^CALLS_PER_MINUTE(_PER_AGENT)?$/), retry_after_s: expect.any(Number) });
      if (refusal.limit === "CALLS_PER_MINUTE_PER_AGENT") expect(allowed[agent]).toBe(CALLS_PER_MINUTE_PER_AGENT);
    }
  });

  it("run a confirmation asked on one process once, for 20 concurrent answers split across both", async () => {
    const urls = servers.map((s) => `http://127.0.0.1:${s.port}/mcp`);
    const headers = await Promise.all(urls.map(async (mcp) => ({ authorization: `Bearer ${await workos.mintAccessToken(CY, mcp)}` })));
    // No idempotency key: only the spent confirmation keeps this to one order.
    const args = { size: "M", name: "Cy Test", company: "", address: "1 Main Street, Springfield" };
    const { requestState } = await askToConfirm(urls[0]!, headers[0]!, "order_shirt", args);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => answerConfirmation(urls[i % 2]!, headers[i % 2]!, "order_shirt", args, requestState)));
    expect(answers.filter((a) => a.result?.status === "placed")).toHaveLength(1);
    expect(answers.filter((a) => a.result?.error === "confirmation_used")).toHaveLength(19);
    const [cy] = await onBoth(CY);
    expect(body(await cy.callTool({ name: "list_orders", arguments: {} })).orders).toHaveLength(1);
  });

  it("filters the shared audit log by agent before paging: every call of that agent once, through both processes", async () => {
    const [viaA, viaB] = await onBoth(RIA, ["ria-agent-1", "ria-agent-2"]);
    for (let i = 0; i < 6; i++) await (i % 2 ? viaA : viaB).callTool({ name: "list_inventory", arguments: {} });
    const [auditor] = await onBoth(AUDITOR);
    const pages: { client_id: string; kind: string }[][] = [];
    let cursor: string | null = null;
    do {
      const page = body(await auditor.callTool({ name: "audit_log", arguments: { agent: "ria-agent-1", event: "call", limit: 1, ...(cursor ? { cursor } : {}) } }));
      pages.push(page.entries);
      cursor = page.next_cursor;
    } while (cursor);
    // Filtered before the page is cut: three full pages, not short or empty ones among the auditor's own calls.
    expect(pages.map((p) => p.length)).toEqual([1, 1, 1]);
    const seen = pages.flat();
    expect(seen.every((e) => e.client_id === "ria-agent-1" && e.kind === "call")).toBe(true);
  });
});
