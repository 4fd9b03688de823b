import { type AuthInfo, createMcpHandler, isJsonContentType, McpServer } from "@modelcontextprotocol/server";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";
import { z } from "zod";
import pkg from "../../package.json" with { type: "json" };
import { holds, type ToolContext, type ToolDef, type ToolPack } from "../tools/types.js";
import { readJsonBody } from "./json-body.js";
import { callTool, recordScopeRefusal, type CallPolicy } from "./policy/call-tool.js";

/** What one request's tool calls run with; it reaches the per-request server through `authInfo.extra`. */
interface RequestCall {
  packs: ToolPack[];
  ctx: ToolContext;
  policy: CallPolicy;
}

/** How long clients may cache the tool list: it is the same for every caller, and changes only with a deploy. */
const TOOLS_LIST_TTL_MS = 5 * 60_000;

/** What registering a tool needs, built once per list of packs and set of confirmed tools, not for every request's server. */
interface Registration {
  tool: ToolDef;
  config: { title?: string; description: string; inputSchema: z.ZodObject<z.ZodRawShape>; annotations?: ToolDef["annotations"] };
}
const registrations = new WeakMap<ToolPack[], WeakMap<ReadonlySet<string>, Registration[]>>();

function registrationsOf(packs: ToolPack[], confirmed: ReadonlySet<string>): Registration[] {
  let byConfirmed = registrations.get(packs);
  if (!byConfirmed) registrations.set(packs, (byConfirmed = new WeakMap()));
  let list = byConfirmed.get(confirmed);
  if (!list) {
    list = packs.flatMap((pack) => pack.tools).map((tool) => ({
      tool,
      config: { title: tool.title, description: describe(tool, confirmed.has(tool.name)), inputSchema: z.object(tool.inputSchema ?? {}), annotations: tool.annotations },
    }));
    byConfirmed.set(confirmed, list);
  }
  return list;
}

// The default JSON Schema validator on Node (Ajv) generates code at run time, which Workers forbid: one for both.
const jsonSchemaValidator = new CfWorkerJsonSchemaValidator();

/** An MCP server offering every tool of `packs`, each call run under `policy` with `ctx`. */
export function createMcpServer(packs: ToolPack[], ctx: ToolContext, policy: CallPolicy): McpServer {
  const codec = policy.confirmation.codec;
  const tools = registrationsOf(packs, policy.confirmation.tools);
  const server = new McpServer(
    { name: pkg.name, version: pkg.version },
    {
      jsonSchemaValidator,
      cacheHints: { "tools/list": { ttlMs: TOOLS_LIST_TTL_MS, cacheScope: "private" } },
      // A stateless server never notifies a tool-list change, so it does not offer to.
      ...(tools.length ? { capabilities: { tools: { listChanged: false } } } : {}),
      // The state of this server's input_required rounds (confirmations): a tampered or expired one is refused.
      ...(codec ? { requestState: { verify: codec.verify } } : {}),
    },
  );
  for (const { tool, config } of tools) {
    server.registerTool(tool.name, config, (args, mcp) => callTool(tool, args as Record<string, unknown>, { ...ctx, mcp, ...(codec ? { requestState: codec } : {}) }, policy, packs));
  }
  return server;
}

/**
 * A tool's description naming the permission it needs and whether the person confirms each call, so the list (the same
 * for everyone) says what each call takes.
 */
function describe(tool: ToolDef, confirmed: boolean): string {
  const permission = tool.permission && !tool.description.includes(tool.permission) ? ` Needs the permission ${tool.permission}.` : "";
  const confirmation = confirmed ? " The person is asked to confirm each call before it runs." : "";
  return `${tool.description}${permission}${confirmation}`;
}

/** The tools/call requests in a parsed body (one message, or a 2025-era batch): each tool's name and arguments. */
function toolCalls(parsed: unknown): { name: string; args: Record<string, unknown> }[] {
  return (Array.isArray(parsed) ? parsed : [parsed]).flatMap((message) => {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
    if (method !== "tools/call" || typeof params?.name !== "string") return [];
    const args = typeof params.arguments === "object" && params.arguments !== null ? (params.arguments as Record<string, unknown>) : {};
    return [{ name: params.name, args }];
  });
}

/**
 * One endpoint for both protocol eras: 2026-07-28 requests (per-request envelope, `server/discover`) and 2025-era
 * clients, served statelessly (no sessions). A fresh server per request carries that request's caller.
 */
const handler = createMcpHandler(({ authInfo }) => {
  const { packs, ctx, policy } = authInfo!.extra!.call as RequestCall;
  return createMcpServer(packs, ctx, policy);
});

/**
 * Answers one MCP request for the caller in `ctx`. `stepUp` (where permissions are OAuth scopes) turns a tools/call
 * needing permissions the caller lacks into the HTTP challenge it returns, before the SDK sees the call.
 */
export async function handleMcpRequest(
  request: Request,
  packs: ToolPack[],
  ctx: ToolContext,
  policy: CallPolicy,
  stepUp?: (permissions: string[]) => Response | null,
): Promise<Response> {
  const body = await readJsonBody(request, isJsonContentType);
  if ("refused" in body) return body.refused;
  if (stepUp && "parsed" in body) {
    const tools = packs.flatMap((pack) => pack.tools);
    const lacking = toolCalls(body.parsed).flatMap(({ name, args }) => {
      const tool = tools.find((t) => t.name === name);
      return tool?.permission && !holds(ctx, tool.permission) ? [{ tool, args }] : [];
    });
    const challenge = lacking.length ? stepUp([...new Set(lacking.map(({ tool }) => tool.permission!))]) : null;
    if (challenge) {
      for (const { tool, args } of lacking) await recordScopeRefusal(tool, args, ctx);
      return challenge;
    }
  }
  const authInfo: AuthInfo = {
    token: "", // checked already by the sign-in layer; tools never see it
    clientId: ctx.identity.client_id ?? "",
    scopes: ctx.identity.scopes,
    extra: { call: { packs, ctx, policy } satisfies RequestCall },
  };
  return handler.fetch(request, { authInfo, ...("parsed" in body ? { parsedBody: body.parsed } : {}) });
}
