import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { handleMcpRequest } from "../src/server/mcp.js";
import type { Store } from "../src/server/store/store.js";
import { defineTool, type Identity, type ToolPack } from "../src/tools/types.js";

const testPack: ToolPack = {
  id: "test",
  tools: [
    defineTool({
      name: "add",
      description: "Adds two numbers.",
      inputSchema: { a: z.number(), b: z.number() },
      run: ({ a, b }) => ({ sum: a + b }),
    }),
    defineTool({
      name: "fail",
      description: "Always fails.",
      run: () => {
        throw new Error("it broke");
      },
    }),
  ],
};

const identity: Identity = {
  kind: "service",
  user: null,
  organization: null,
  role: null,
  permissions: [],
  permission_sources: {},
  client_id: "test-client",
  scopes: [],
  expires_at: null,
};

/** A store for this file's tests only: nothing here keeps state. */
const unusedStore: Store = {
  getState: async () => null,
  setState: async () => {},
  hit: async () => ({ allowed: true }),
  insert: async (_collection, record) => ({ status: "inserted", record }),
  list: async () => ({ records: [], nextCursor: null }),
};

/** The v2 client talking to src/server/mcp.ts in this process: its fetch goes straight to the handler, no server. */
async function connectInMemory(): Promise<Client> {
  const ctx = { identity, subject: "client:test-client", store: unusedStore, setting: () => undefined };
  const policy = { store: unusedStore, quotaKey: ctx.subject, callsPerMinute: null, agent: null, callsPerMinutePerAgent: null, confirmation: { tools: new Set<string>(), codec: null } };
  const client = new Client({ name: "tests", version: "0.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
  const fetch = (url: string | URL, init?: RequestInit) => handleMcpRequest(new Request(url, init), [testPack], ctx, policy);
  await client.connect(new StreamableHTTPClientTransport(new URL("http://in-process/mcp"), { fetch }));
  return client;
}

describe("how tools are served (src/server/mcp.ts)", () => {
  it("returns a tool's result as JSON text and structured content", async () => {
    const client = await connectInMemory();
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    expect(result.structuredContent).toEqual({ sum: 5 });
    expect(result.content).toEqual([{ type: "text", text: '{"sum":5}' }]);
  });

  it("turns a thrown error into an error result with its message", async () => {
    const client = await connectInMemory();
    const result = await client.callTool({ name: "fail", arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify({ error: "failed", message: "it broke" }) }]);
  });

  it("rejects arguments that do not match the input schema", async () => {
    const client = await connectInMemory();
    const result = await client.callTool({ name: "add", arguments: { a: "two" } });
    expect(result.isError).toBe(true);
  });
});
