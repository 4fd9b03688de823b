import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { type Answer, connect, postToolCall } from "./client.js";

type ToolResult = Awaited<ReturnType<Client["callTool"]>>;
const json = (result: ToolResult) => JSON.parse((result.content as { text: string }[])[0]!.text);
const order = (key?: string) => ({ size: "M", name: "Ada Lovelace", company: "Analytical Engines", address: "12 St James's Square, London", ...(key ? { idempotency_key: key } : {}) });
const QUESTION = "Order one M shirt for Ada Lovelace, Analytical Engines, to 12 St James's Square, London?";
const CAN_ASK = { elicitation: { form: {} } };
const ACCEPT = { confirm: { action: "accept", content: { confirm: true } } };

/** The JSON-RPC answer of a raw POST (JSON or one SSE event). */
async function rpc(response: Response): Promise<{ result?: Record<string, unknown> & { content?: { text: string }[] }; error?: { code: number; message: string } }> {
  const text = await response.text();
  const data = text.startsWith("{") ? text : text.split("\n").find((line) => line.startsWith("data: "))!.slice(6);
  return JSON.parse(data);
}
const resultJson = (answer: Awaited<ReturnType<typeof rpc>>) => JSON.parse(answer.result!.content![0]!.text);

/** The first round of a raw order from a client that can ask: the question and the signed state it must echo. */
async function askedToConfirm(args: Record<string, unknown> = order(), headers = inject("authHeaders")) {
  const { result } = await rpc(await postToolCall(inject("serverUrl"), "order_shirt", args, headers, { capabilities: CAN_ASK }));
  expect(result).toMatchObject({ resultType: "input_required", inputRequests: { confirm: { method: "elicitation/create", params: { message: QUESTION } } } });
  return result!.requestState as string;
}

describe("shop", () => {
  let client: Client;
  let asked: string[];
  const answering = (reply: ReturnType<Answer>) => connect(inject("serverUrl"), inject("authHeaders"), (message) => (asked.push(message), reply));
  const orderCount = async () => json(await client.callTool({ name: "list_orders", arguments: {} })).orders.length as number;

  beforeAll(async () => {
    client = await answering({ action: "accept", content: { confirm: true } });
  });
  afterAll(() => client?.close());
  beforeEach(() => {
    asked = [];
  });

  it("says in the tool list that the person confirms each order", async () => {
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "order_shirt")?.description).toContain("The person is asked to confirm each call before it runs.");
    expect(tools.find((t) => t.name === "list_inventory")?.description).not.toContain("confirm");
  });

  it("lists the inventory", async () => {
    expect(json(await client.callTool({ name: "list_inventory", arguments: {} })).items[0].sizes).toContain("M");
  });

  it("asks the person to confirm the exact order, then places it once they accept", async () => {
    const placed = json(await client.callTool({ name: "order_shirt", arguments: order() }));
    expect(asked).toEqual([QUESTION]);
    expect(placed).toMatchObject({ status: "placed", size: "M" });
    const { orders } = json(await client.callTool({ name: "list_orders", arguments: {} }));
    expect(orders.filter((o: { order_id: string }) => o.order_id === placed.order_id)).toHaveLength(1);
  });

  for (const action of ["decline", "cancel"] as const) {
    it(`places nothing when the person chooses ${action}, and says so`, async () => {
      const before = await orderCount();
      const refusing = await answering({ action });
      try {
        const result = await refusing.callTool({ name: "order_shirt", arguments: order() });
        expect(asked).toEqual([QUESTION]);
        expect(json(result)).toMatchObject({ status: "not_confirmed", action, message: expect.stringContaining("nothing was done") });
      } finally {
        await refusing.close();
      }
      expect(await orderCount()).toBe(before);
    });
  }

  it("places nothing when the person accepts the form with the box unticked", async () => {
    const before = await orderCount();
    const unticked = await answering({ action: "accept", content: { confirm: false } });
    try {
      expect(json(await unticked.callTool({ name: "order_shirt", arguments: order() }))).toMatchObject({ status: "not_confirmed", action: "decline" });
    } finally {
      await unticked.close();
    }
    expect(await orderCount()).toBe(before);
  });

  it("places an order once per idempotency key, even when retried at once", async () => {
    const key = `test-${crypto.randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => client.callTool({ name: "order_shirt", arguments: order(key) })));
    const orders = results.map(json);
    expect(orders.filter((o) => o.status === "placed")).toHaveLength(1);
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(1);
    const { orders: listed } = json(await client.callTool({ name: "list_orders", arguments: {} }));
    expect(listed.filter((o: { order_id: string }) => o.order_id === orders[0].order_id)).toHaveLength(1);
  });

  it("runs one accepted confirmation once, however often it is replayed at the same time", async () => {
    const before = await orderCount();
    const requestState = await askedToConfirm();
    const replays = await Promise.all(
      Array.from({ length: 20 }, async () => rpc(await postToolCall(inject("serverUrl"), "order_shirt", order(), inject("authHeaders"), { capabilities: CAN_ASK, inputResponses: ACCEPT, requestState }))),
    );
    const bodies = replays.map(resultJson);
    expect(bodies.filter((b) => b.status === "placed")).toHaveLength(1);
    expect(bodies.filter((b) => b.error === "confirmation_used")).toHaveLength(19);
    expect(await orderCount()).toBe(before + 1);
  });

  it("refuses a tampered confirmation state", async () => {
    const requestState = await askedToConfirm();
    const [head, body, mac] = requestState.split(".");
    const forged = JSON.parse(Buffer.from(body!, "base64url").toString());
    forged.p.confirm.args_sha256 = "0".repeat(64);
    const tampered = [head, Buffer.from(JSON.stringify(forged)).toString("base64url"), mac].join(".");
    const answer = await rpc(await postToolCall(inject("serverUrl"), "order_shirt", order(), inject("authHeaders"), { capabilities: CAN_ASK, inputResponses: ACCEPT, requestState: tampered }));
    expect(answer.error).toMatchObject({ code: -32602, message: "Invalid or expired requestState" });
  });

  it("refuses a confirmation of other arguments than the call's", async () => {
    const requestState = await askedToConfirm();
    const other = { ...order(), address: "1 Elsewhere Road, Bristol" };
    const answer = await rpc(await postToolCall(inject("serverUrl"), "order_shirt", other, inject("authHeaders"), { capabilities: CAN_ASK, inputResponses: ACCEPT, requestState }));
    expect(resultJson(answer)).toMatchObject({ error: "confirmation_mismatch", message: expect.stringContaining("another call") });
  });

  // Without sign-in everyone is the same "anonymous" caller: there is no other person to answer.
  const otherHeaders = inject("adminHeaders");
  if (otherHeaders) it("refuses a confirmation answered by another person", async () => {
    const requestState = await askedToConfirm();
    const answer = await rpc(await postToolCall(inject("serverUrl"), "order_shirt", order(), otherHeaders, { capabilities: CAN_ASK, inputResponses: ACCEPT, requestState }));
    expect(resultJson(answer)).toMatchObject({ error: "confirmation_mismatch", message: expect.stringContaining("another person or agent") });
  });

  const page = inject("confirmationPage");
  it(page
    ? "gives a client that cannot ask the person a link to the server's confirmation page, and places nothing yet"
    : "tells a client that cannot ask the person that the order needs one that can, naming CONFIRM_TOOLS", async () => {
    const before = await orderCount();
    const unable = await connect(inject("serverUrl"));
    try {
      const result = await unable.callTool({ name: "order_shirt", arguments: order() });
      expect(result.isError).toBe(true);
      if (page) {
        const { confirmation_url } = json(result);
        expect(json(result)).toMatchObject({ error: "confirmation_required", message: expect.stringContaining(`${QUESTION} The person has to confirm this first: show them ${confirmation_url}`) });
        expect(new URL(confirmation_url).pathname).toMatch(/^\/confirm\/[\w-]{20,}$/);
      } else {
        expect(json(result)).toMatchObject({ error: "confirmation_unsupported", message: expect.stringMatching(/cannot ask them.*elicitation.*CONFIRM_TOOLS/) });
      }
    } finally {
      await unable.close();
    }
    expect(await orderCount()).toBe(before);
  });

  it("refuses a size it does not stock", async () => {
    const result = await client.callTool({ name: "order_shirt", arguments: { ...order(), size: "XXS" } });
    expect(result.isError).toBe(true);
  });

  it.skipIf(!inject("serviceHeaders"))("refuses to order for an agent without a person (client credentials), saying why", async () => {
    const service = await connect(inject("serverUrl"), inject("serviceHeaders")!, () => ({ action: "accept", content: { confirm: true } }));
    try {
      const result = await service.callTool({ name: "order_shirt", arguments: order() });
      expect(result.isError).toBe(true);
      expect(json(result)).toMatchObject({ error: "person_required", message: expect.stringMatching(/acts for a signed-in person.*a service token \(client credentials.*cannot use it/) });
      expect(json(await service.callTool({ name: "list_inventory", arguments: {} })).items[0].sizes).toContain("M");
    } finally {
      await service.close();
    }
  });
});
