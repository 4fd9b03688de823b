// The hand-written baseline: the MCP SDK's own per-request handler on node:http, one tool, nothing else — as the
// SDK's documentation shows it. The bench copies it into a directory with the SDK version the templates use.
import { createServer } from "node:http";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

// What the generated authless server's whoami answers, so both send the same bytes.
const identity = {
  kind: "anonymous",
  user: null,
  organization: null,
  role: null,
  permissions: [],
  permission_sources: {},
  client_id: null,
  scopes: [],
  expires_at: null,
  hint: "This server has no sign-in: every caller is anonymous and all callers share one state.",
};

const handler = toNodeHandler(
  createMcpHandler(() => {
    const server = new McpServer({ name: "baseline", version: "1.0.0" });
    server.registerTool("whoami", { description: "Who is calling.", inputSchema: z.object({}) }, () => ({
      content: [{ type: "text", text: JSON.stringify(identity) }],
      structuredContent: identity,
    }));
    return server;
  }),
);

createServer((req, res) => {
  if (req.url === "/mcp") return handler(req, res);
  res.writeHead(404).end();
}).listen(Number(process.env.PORT), "127.0.0.1");
