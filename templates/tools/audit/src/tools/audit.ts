import { z } from "zod";
import { AUDIT } from "../server/policy/audit-trail.js";
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
        "with which permissions (kind); newest first, paged with next_cursor; client_id and kind narrow it to one agent or kind.",
      permission: "audit:read",
      inputSchema: {
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(2000).optional(),
        client_id: z.string().min(1).max(500).optional(),
        kind: z.enum(["call", "authorization", "consent_denied", "revocation"]).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run({ limit, cursor, client_id, kind }, ctx) {
        const where = { ...(client_id ? { client_id } : {}), ...(kind ? { kind } : {}) };
        const page = await ctx.store.list(AUDIT, { limit: limit ?? 20, cursor: cursor ?? null, ...(client_id || kind ? { where } : {}) });
        return {
          entries: page.records.map((r) => entryOf(r.at, r.data)),
          next_cursor: page.nextCursor,
        };
      },
    }),
  ],
};
