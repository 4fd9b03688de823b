import { describe, expect, it } from "vitest";
import { shopPack } from "../src/tools/shop.js";
import { fakeContext } from "./fake-context.js";

// The shop's tools called directly with an in-memory context: no server, no platform.
const tool = (name: string) => shopPack.tools.find((t) => t.name === name)!;
const order = { size: "M", name: "Test Person", company: "", address: "1 Test Street, Testville" };

describe("the shop's tools, on their own", () => {
  it("places an order once per idempotency key", async () => {
    const ctx = fakeContext();
    const first = await tool("order_shirt").run({ ...order, idempotency_key: "k1" }, ctx);
    const again = await tool("order_shirt").run({ ...order, idempotency_key: "k1" }, ctx);
    expect(first).toMatchObject({ status: "placed", size: "M" });
    expect(again).toMatchObject({ status: "duplicate", order_id: (first as { order_id: string }).order_id });
  });

  it("refuses orders past ORDERS_PER_USER, naming the limit", async () => {
    const ctx = fakeContext(undefined, { ORDERS_PER_USER: "1" });
    await tool("order_shirt").run(order, ctx);
    await expect(Promise.resolve(tool("order_shirt").run(order, ctx))).rejects.toMatchObject({ code: "order_limit" });
  });
});
