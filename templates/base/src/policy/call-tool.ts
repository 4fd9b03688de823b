import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Store } from "../store/types.js";
import { ToolError, type ToolContext, type ToolDef } from "../tools/types.js";

export interface CallPolicy {
  store: Store;
  /** Who quotas count against: the subject, or the client address without sign-in. */
  quotaKey: string;
  callsPerMinute: number | null;
  /** Record every call (the audit pack is installed). */
  audit: boolean;
}

export const AUDIT = "audit";

/**
 * Whether this call holds `permission`. Only `identity.permissions` counts: the auth layer decided which of the
 * provider's claims are permissions, so a scope a client merely asked for never is one by itself.
 */
export const holds = (ctx: ToolContext, permission: string) => ctx.identity.permissions.includes(permission);

/** One tool call under the access policy: permission → quota → tool → audit record (refusals included). */
export async function callTool(tool: ToolDef, args: Record<string, unknown>, ctx: ToolContext, policy: CallPolicy): Promise<CallToolResult> {
  let outcome = "ok";
  let result: CallToolResult;
  try {
    if (tool.permission && !holds(ctx, tool.permission)) {
      outcome = "denied:permission";
      throw new ToolError("permission_denied", `${tool.name} needs the permission ${tool.permission}, which your role does not grant.`, {
        permission: tool.permission,
      });
    }
    if (policy.callsPerMinute !== null) {
      const hit = await policy.store.hit(`calls:${policy.quotaKey}`, policy.callsPerMinute, 60);
      if (!hit.allowed) {
        outcome = "denied:quota";
        throw new ToolError("rate_limited", `Too many calls: at most ${policy.callsPerMinute} a minute. Try again in ${hit.retryAfterS} s.`, {
          retry_after_s: hit.retryAfterS,
        });
      }
    }
    result = success(await tool.run(args, ctx));
  } catch (error) {
    if (outcome === "ok") outcome = error instanceof ToolError ? `refused:${error.code}` : "error";
    result = failure(error);
  }
  if (policy.audit) await recordCall(tool.name, args, ctx, policy.store, outcome);
  return result;
}

function success(value: unknown): CallToolResult {
  const text = JSON.stringify(value) ?? "null";
  const structured = typeof value === "object" && value !== null && !Array.isArray(value);
  return {
    content: [{ type: "text", text }],
    // MCP only allows a JSON object here; other results travel as text alone.
    ...(structured ? { structuredContent: value as Record<string, unknown> } : {}),
  };
}

function failure(error: unknown): CallToolResult {
  const body =
    error instanceof ToolError
      ? { error: error.code, message: error.message, ...error.details }
      : { error: "failed", message: error instanceof Error ? error.message : String(error) };
  return { isError: true, content: [{ type: "text", text: JSON.stringify(body) }] };
}

/** Who called what, when, and how it ended; the arguments only as a digest (never addresses, tokens or secrets). */
async function recordCall(tool: string, args: Record<string, unknown>, ctx: ToolContext, store: Store, outcome: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(args ?? {}))));
  const at = new Date().toISOString();
  await store.insert(
    AUDIT,
    {
      id: crypto.randomUUID(),
      owner: ctx.subject,
      at,
      data: {
        user_id: ctx.identity.user?.id ?? null,
        client_id: ctx.identity.client_id,
        tool,
        outcome,
        args_sha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
      },
    },
    { ttlS: ctx.limits.retentionDays * 86_400 },
  );
}
