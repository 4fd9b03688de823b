import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import pkg from "../../package.json" with { type: "json" };
import { callTool, type CallPolicy } from "./policy/call-tool.js";
import type { ToolContext, ToolPack } from "../tools/types.js";

/** An MCP server offering every tool of `packs`, each call run under `policy` with `ctx`. */
export function createMcpServer(packs: ToolPack[], ctx: ToolContext, policy: CallPolicy): McpServer {
  const server = new McpServer(
    { name: pkg.name, version: pkg.version },
    // The SDK's default JSON Schema validator (Ajv) generates code at run time, which Workers forbid.
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  for (const tool of packs.flatMap((pack) => pack.tools)) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema ?? {}, annotations: tool.annotations },
      (args) => callTool(tool, args as Record<string, unknown>, ctx, policy, packs),
    );
  }
  return server;
}

/** Answers one MCP request (stateless: a fresh server and transport every time). */
export async function handleMcpRequest(request: Request, packs: ToolPack[], ctx: ToolContext, policy: CallPolicy): Promise<Response> {
  const server = createMcpServer(packs, ctx, policy);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(request);
}
