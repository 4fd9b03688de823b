import { describe, expect, inject, it } from "vitest";
import { postInitialize } from "./client.js";

describe("authless", () => {
  it("lets anyone call /mcp without credentials", async () => {
    expect((await postInitialize(inject("serverUrl"))).status).toBe(200);
  });
});
