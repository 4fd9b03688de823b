import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { packs } from "../src/tools/index.js";
import { type Answer, connect } from "./client.js";

const json = (result: Awaited<ReturnType<Client["callTool"]>>) => JSON.parse((result.content as { text: string }[])[0]!.text);
const hasShop = packs.some((pack) => pack.id === "shop");
const order = { size: "S", name: "Ada", company: "", address: "12 St James's Square, London" };
/** The person confirms every order they are asked about (the shop's orders need their confirmation). */
const confirmAll: Answer = () => ({ action: "accept", content: { confirm: true } });

describe("demo mode", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(inject("serverUrl"), inject("authHeaders"), confirmAll);
  });
  afterAll(async () => {
    await client?.callTool({ name: "pretty_please", arguments: {} });
    await client?.close();
  });

  it("bans and lets back in, and a new session sees the same mode", async () => {
    expect(json(await client.callTool({ name: "set_demo_mode", arguments: { mode: "banned" } })).mode).toBe("banned");
    const other = await connect(inject("serverUrl"), inject("authHeaders"), confirmAll); // another session of the same person
    if (hasShop) {
      const refused = await other.callTool({ name: "order_shirt", arguments: order });
      expect(refused.isError).toBe(true);
      expect(json(refused).message).toMatch(/absolutely not/i);
      expect((await other.callTool({ name: "list_inventory", arguments: {} })).isError).toBeFalsy();
    }
    expect(json(await other.callTool({ name: "pretty_please", arguments: {} })).mode).toBe("normal");
    if (hasShop) expect(json(await client.callTool({ name: "order_shirt", arguments: order })).status).toBe("placed");
    await other.close();
  });
});
