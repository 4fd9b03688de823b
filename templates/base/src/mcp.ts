import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import pkg from "../package.json" with { type: "json" };
import type { ToolContext, ToolPack } from "./tools/types.js";

/** An MCP server offering every tool of `packs`, each run with `ctx`. */
export function createMcpServer(packs: ToolPack[], ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: pkg.name, version: pkg.version },
    // The SDK's default JSON Schema validator (Ajv) generates code at run time, which Workers forbid.
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  for (const tool of packs.flatMap((pack) => pack.tools)) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema ?? {},
        annotations: tool.annotations,
      },
      async (args) => {
        try {
          return toResult(await tool.run(args, ctx));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { isError: true, content: [{ type: "text", text: message }] };
        }
      },
    );
  }
  return server;
}

function toResult(result: unknown): CallToolResult {
  const text = JSON.stringify(result) ?? "null";
  const structured = typeof result === "object" && result !== null && !Array.isArray(result);
  return {
    content: [{ type: "text", text }],
    // MCP only allows a JSON object here; other results travel as text alone.
    ...(structured ? { structuredContent: result as Record<string, unknown> } : {}),
  };
}

/** Answers one MCP request (stateless: a fresh server and transport every time). */
export async function handleMcpRequest(request: Request, packs: ToolPack[], ctx: ToolContext): Promise<Response> {
  const server = createMcpServer(packs, ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  return transport.handleRequest(request);
}
