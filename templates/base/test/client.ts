import { request } from "node:http";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { inject } from "vitest";

/** The protocol revision the tests speak (the server serves 2025-era clients too; see mcp.test.ts). */
export const PROTOCOL_VERSION = "2026-07-28";

/** What the person answers when the client asks them (an elicitation form), e.g. `{ action: "accept", content: { confirm: true } }`. */
export type Answer = (message: string) => { action: "accept" | "decline" | "cancel"; content?: Record<string, string | number | boolean | string[]> };

/**
 * An MCP client (SDK v2, pinned to 2026-07-28) connected to the test server's /mcp, signed in as the auth fixture
 * arranged. With `answer`, it declares elicitation and answers every form with it, as a person at the client would.
 */
export async function connect(serverUrl: string, headers: Record<string, string> = inject("authHeaders"), answer?: Answer): Promise<Client> {
  const client = new Client(
    { name: "tests", version: "0.0.0" },
    { versionNegotiation: { mode: { pin: PROTOCOL_VERSION } }, ...(answer ? { capabilities: { elicitation: { form: {} } } } : {}) },
  );
  if (answer) client.setRequestHandler("elicitation/create", async (request) => answer((request.params as { message: string }).message));
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", serverUrl), { requestInit: { headers } }));
  return client;
}

const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": PROTOCOL_VERSION,
  "io.modelcontextprotocol/clientInfo": { name: "tests", version: "0.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const DISCOVER_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": PROTOCOL_VERSION,
  "mcp-method": "server/discover",
};
const DISCOVER = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: ENVELOPE } });

/**
 * A raw 2026-07-28 `server/discover` POST to /mcp, signed in, with extra headers such as Origin. `chunked`: the body
 * goes as a stream, with no Content-Length.
 */
export function postDiscover(serverUrl: string, headers: Record<string, string> = {}, { chunked = false } = {}): Promise<Response> {
  const body = chunked ? new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode(DISCOVER)), c.close()) }) : DISCOVER;
  const init = { method: "POST", headers: { ...DISCOVER_HEADERS, ...inject("authHeaders"), ...headers }, body, ...(chunked ? { duplex: "half" } : {}) };
  return fetch(new URL("/mcp", serverUrl), init as RequestInit);
}

/** A later round of a raw tools/call: the client's capabilities, and the answers and state it echoes back. */
export interface Round {
  capabilities?: Record<string, unknown>;
  inputResponses?: Record<string, unknown>;
  requestState?: string;
}

/** A raw 2026-07-28 `tools/call` POST to /mcp, signed in (or with other headers); `round` for multi-round calls. */
export function postToolCall(
  serverUrl: string,
  name: string,
  args: Record<string, unknown> = {},
  headers: Record<string, string> = inject("authHeaders"),
  { capabilities = {}, ...echoed }: Round = {},
): Promise<Response> {
  const _meta = { ...ENVELOPE, "io.modelcontextprotocol/clientCapabilities": capabilities };
  return fetch(new URL("/mcp", serverUrl), {
    method: "POST",
    headers: { ...DISCOVER_HEADERS, "mcp-method": "tools/call", "mcp-name": name, ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, ...echoed, _meta } }),
  });
}

/** A raw 2025-era `initialize` POST (what clients before 2026-07-28 send first), signed in. */
export function postInitialize(serverUrl: string, protocolVersion: string): Promise<Response> {
  return fetch(new URL("/mcp", serverUrl), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...inject("authHeaders") },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion, capabilities: {}, clientInfo: { name: "tests", version: "0.0.0" } } }),
  });
}

/**
 * The request a DNS-rebinding page would send: its own host name resolves to this machine, so Host and Origin both
 * carry it. Returns the HTTP status. (fetch cannot set Host.)
 */
export function postFromRebindingPage(serverUrl: string, pageHost: string): Promise<number> {
  const url = new URL("/mcp", serverUrl);
  const host = `${pageHost}:${url.port}`;
  return new Promise((resolve, reject) => {
    const headers = { ...DISCOVER_HEADERS, ...inject("authHeaders"), host, origin: `http://${host}` };
    const req = request(url, { method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(DISCOVER);
  });
}
