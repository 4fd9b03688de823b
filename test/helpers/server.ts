import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunningServer {
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `PORT=<free port> npm run dev` in a generated project, exactly as its README says, waiting until it answers.
 * Runs in its own process group so wrangler's workerd child goes down with it.
 */
export async function startDevServer(projectDir: string, env: Record<string, string> = {}, fixedPort?: number): Promise<RunningServer> {
  return startServerCommand(projectDir, ["npm", "run", "dev"], env, fixedPort);
}

/** A command in a generated project that serves on PORT (e.g. wrangler itself, as a deployed Worker is configured). */
export async function startServerCommand(
  projectDir: string,
  command: string[],
  env: Record<string, string> = {},
  fixedPort?: number,
  /** Ready once its output says so, without a request of ours (default: once `/` answers). */
  readyWhen?: (output: string) => boolean,
): Promise<RunningServer> {
  const port = fixedPort ?? (await freePort());
  const [file, ...args] = command.map((part) => part.replaceAll("{port}", String(port)));
  const child = spawn(file!, args, {
    cwd: projectDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), WRANGLER_SEND_METRICS: "false", ...env },
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const server = { port, output: () => output, stop: () => stopGroup(child) };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command.join(" ")} exited with ${child.exitCode}:\n${output}`);
    const answered = readyWhen
      ? readyWhen(output)
      : await fetch(`http://127.0.0.1:${port}/`).then(
          () => true,
          () => false,
        );
    if (answered) return server;
    await new Promise((r) => setTimeout(r, 300));
  }
  await server.stop();
  throw new Error(`${command.join(" ")} did not answer on port ${port} within 120 s:\n${output}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  signal("SIGTERM");
  const killed = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(killed);
}

/**
 * The protocol a test's client speaks: 2026-07-28 through the MCP TypeScript SDK v2 client (pinned), 2025-11-25 through
 * the v1 client (its newest revision), as 2025-era clients do.
 */
export type ClientEra = "2026-07-28" | "2025-11-25";
export const CLIENT_ERAS: readonly ClientEra[] = ["2026-07-28", "2025-11-25"];

/** What the tests use of either SDK's client. */
export interface McpClient {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<ToolResult>;
  listTools(): Promise<{ tools: { name: string; description?: string; annotations?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}
export interface ToolResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

/** What the person at a client answers when it asks them (an elicitation form: the server's confirmation of a call). */
export type PersonAnswer = (message: string) => { action: "accept" | "decline" | "cancel"; content?: Record<string, string | number | boolean | string[]> };
/** A person who confirms everything they are asked. */
export const CONFIRMS: PersonAnswer = () => ({ action: "accept", content: { confirm: true } });

/**
 * A client of the given era, and a transport to `url` (passed to `connect`): the two SDKs' own classes. `answer`
 * (2026-07-28 only: a 2025-era client cannot be asked over stateless HTTP) declares elicitation and answers with it.
 */
export function newClient(era: ClientEra, url: string, options: { headers?: Record<string, string>; authProvider?: unknown; answer?: PersonAnswer } = {}) {
  const init = { requestInit: { headers: options.headers ?? {} }, ...(options.authProvider ? { authProvider: options.authProvider } : {}) };
  const { answer } = options;
  if (answer && era !== "2026-07-28") throw new Error("Only a 2026-07-28 client can be asked to confirm a call over stateless HTTP.");
  if (era === "2026-07-28") {
    const capabilities = answer ? { capabilities: { elicitation: { form: {} } } } : {};
    const client = new ClientV2({ name: "create-mcp-auth-e2e", version: "1.0.0" }, { versionNegotiation: { mode: { pin: era } }, ...capabilities });
    if (answer) client.setRequestHandler("elicitation/create", async (request) => answer((request.params as { message: string }).message));
    const transport = new TransportV2(new URL(url), init as ConstructorParameters<typeof TransportV2>[1]);
    return { client: client as unknown as McpClient, connect: () => client.connect(transport), finishAuth: (back: URL) => transport.finishAuth(back.searchParams) };
  }
  const client = new Client({ name: "create-mcp-auth-e2e", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), init as ConstructorParameters<typeof StreamableHTTPClientTransport>[1]);
  return { client: client as unknown as McpClient, connect: () => client.connect(transport), finishAuth: (back: URL) => transport.finishAuth(back.searchParams.get("code") ?? "") };
}

/** The real MCP TypeScript SDK client over Streamable HTTP (v1, 2025-11-25, unless an era is given). */
export async function connectMcp(url: string, headers: Record<string, string> = {}, era: ClientEra = "2025-11-25", answer?: PersonAnswer): Promise<McpClient> {
  const { client, connect } = newClient(era, url, { headers, ...(answer ? { answer } : {}) });
  await connect();
  return client;
}

/** A tool result's JSON payload (the text content every tool returns). */
export function toolJson(result: ToolResult): Record<string, unknown> {
  const content = result.content as { type: string; text?: string }[];
  const text = content.find((c) => c.type === "text")?.text;
  if (text === undefined) throw new Error(`no text content in ${JSON.stringify(result)}`);
  return JSON.parse(text);
}

/** JSON-RPC bodies the raw-HTTP tests send to /mcp (outside the SDK client, to see statuses and challenges). */
export const MCP_MESSAGES = {
  initialize: { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } },
  toolsList: { jsonrpc: "2.0", id: 1, method: "tools/list" },
  callTool: (name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
  /** 2026-07-28's first request, with its per-request envelope; send it with MODERN_HEADERS("server/discover"). */
  discover: {
    jsonrpc: "2.0",
    id: 1,
    method: "server/discover",
    params: {
      _meta: {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
        "io.modelcontextprotocol/clientCapabilities": {},
      },
    },
  },
};

/** The headers a 2026-07-28 request carries besides the body's envelope. */
export const MODERN_HEADERS = (method: string) => ({ "mcp-protocol-version": "2026-07-28", "mcp-method": method });

/** POST one JSON-RPC message to an MCP endpoint as a Streamable HTTP client does, optionally with a bearer token. */
export function postMcp(
  url: string,
  message: unknown,
  { token, headers = {}, fetch: fetchFn = fetch }: { token?: string | null; headers?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<Response> {
  return fetchFn(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(message),
  });
}

/**
 * A request as a DNS-rebinding web page sends it: to this machine's port, but with its own host name in `Host` and
 * `Origin`, plus a `CF-Connecting-IP` of its choosing (browsers let pages set that header).
 */
export function reboundRequest(port: number, path: string, method: "GET" | "POST" = "POST"): Promise<{ status: number; body: string }> {
  const host = `evil.test:${port}`;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        headers: {
          host,
          origin: `http://${host}`,
          "cf-connecting-ip": "203.0.113.9",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    request.end(method === "POST" ? JSON.stringify(MCP_MESSAGES.callTool("whoami")) : undefined);
  });
}

/**
 * The JSON-RPC message of a /mcp answer: a JSON body (2026-07-28) or the one `message` event of an SSE body (how the
 * server answers 2025-era POSTs).
 */
export async function jsonRpcOf(response: Response): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const text = await response.text();
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return JSON.parse(text);
  const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim());
  if (data.length !== 1) throw new Error(`expected one SSE message, got ${data.length}:\n${text}`);
  return JSON.parse(data[0]!);
}

/** A raw tools/call's JSON payload (the text content every tool returns). */
export async function toolJsonOf(response: Response): Promise<Record<string, unknown>> {
  if (response.status !== 200) throw new Error(`tools/call answered ${response.status}: ${await response.text()}`);
  return toolJson((await jsonRpcOf(response)).result as ToolResult);
}
