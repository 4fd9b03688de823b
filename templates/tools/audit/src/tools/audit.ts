import { z } from "zod";
import { AUDIT, AUDIT_KINDS } from "../server/policy/audit-trail.js";
import { defineTool, type ToolPack } from "./types.js";

/** What audit_log shows of a record: its kind (records from before kinds existed were calls) and what it says, no digest. */
function entryOf(at: string, data: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = { at, kind: "call", ...data };
  delete entry.args_sha256;
  return entry;
}

export const auditPack: ToolPack = {
  id: "audit",
  tools: [
    defineTool({
      name: "audit_log",
      title: "Audit log",
      description:
        "Who called which tool through which agent, and how it ended; in proxy mode also who allowed, refused or revoked which agent " +
        "with which permissions (kind); newest first, paged with next_cursor; agent (a client id) and event (a kind) narrow it.",
      permission: "audit:read",
      inputSchema: {
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(2000).optional(),
        agent: z.string().min(1).max(500).optional(),
        event: z.enum(AUDIT_KINDS).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run({ limit, cursor, agent, event }, ctx) {
        const where = { ...(agent ? { client_id: agent } : {}), ...(event ? { kind: event } : {}) };
        const page = await ctx.store.list(AUDIT, { limit: limit ?? 20, cursor: cursor ?? null, ...(agent || event ? { where } : {}) });
        return {
          entries: page.records.map((r) => entryOf(r.at, r.data)),
          next_cursor: page.nextCursor,
        };
      },
    }),
  ],
};
