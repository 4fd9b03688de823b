import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { inject } from "vitest";

/** An MCP client connected to the test server's /mcp, signed in as the auth fixture arranged. */
export async function connect(serverUrl: string, headers: Record<string, string> = inject("authHeaders")): Promise<Client> {
  const client = new Client({ name: "tests", version: "0.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", serverUrl), { requestInit: { headers } }));
  return client;
}

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "tests", version: "0.0.0" } },
});

/** A raw JSON-RPC `initialize` POST to /mcp, signed in, with extra headers such as Origin. */
export function postInitialize(serverUrl: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL("/mcp", serverUrl), {
    method: "POST",
    headers: { ...MCP_HEADERS, ...inject("authHeaders"), ...headers },
    body: INITIALIZE,
  });
}

/**
 * The `initialize` POST a DNS-rebinding page would send: its own host name resolves to this
 * machine, so Host and Origin both carry it. Returns the HTTP status. (fetch cannot set Host.)
 */
export function postFromRebindingPage(serverUrl: string, pageHost: string): Promise<number> {
  const url = new URL("/mcp", serverUrl);
  const host = `${pageHost}:${url.port}`;
  return new Promise((resolve, reject) => {
    const headers = { ...MCP_HEADERS, ...inject("authHeaders"), host, origin: `http://${host}` };
    const req = request(url, { method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(INITIALIZE);
  });
}
