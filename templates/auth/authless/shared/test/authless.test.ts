import { describe, expect, inject, it } from "vitest";
import { postDiscover, postInitialize } from "./client.js";

describe("authless", () => {
  it("lets anyone call /mcp without credentials, in both protocol eras", async () => {
    expect((await postDiscover(inject("serverUrl"))).status).toBe(200);
    expect((await postInitialize(inject("serverUrl"), "2025-11-25")).status).toBe(200);
  });
});
