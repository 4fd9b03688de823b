import { type ToolContext, wholeNumberSetting } from "../../tools/types.js";

/** The collection audit records are kept in (the audit pack's audit_log reads it). */
export const AUDIT = "audit";
const DEFAULT_RETENTION_DAYS = 30;

/** Who called what, when, and how it ended; the arguments only as a digest (never addresses, tokens or secrets). */
export async function recordCall(tool: string, args: Record<string, unknown>, ctx: ToolContext, outcome: string): Promise<void> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(args ?? {}))));
  const at = new Date().toISOString();
  await ctx.store.insert(
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
    { ttlS: (wholeNumberSetting(ctx, "RETENTION_DAYS") ?? DEFAULT_RETENTION_DAYS) * 86_400 },
  );
}
