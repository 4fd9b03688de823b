import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect } from "./client.js";

const json = (result: Awaited<ReturnType<Client["callTool"]>>) => JSON.parse((result.content as { text: string }[])[0]!.text);
const order = (key?: string) => ({ size: "M", name: "Ada Lovelace", company: "Analytical Engines", address: "12 St James's Square, London", ...(key ? { idempotency_key: key } : {}) });

describe("shop", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(inject("serverUrl"));
  });
  afterAll(() => client?.close());

  it("lists the inventory", async () => {
    expect(json(await client.callTool({ name: "list_inventory", arguments: {} })).items[0].sizes).toContain("M");
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

  it("refuses a size it does not stock", async () => {
    const result = await client.callTool({ name: "order_shirt", arguments: { ...order(), size: "XXS" } });
    expect(result.isError).toBe(true);
  });

  it.skipIf(!inject("serviceHeaders"))("refuses to order for an agent without a person (client credentials), saying why", async () => {
    const service = await connect(inject("serverUrl"), inject("serviceHeaders")!);
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
