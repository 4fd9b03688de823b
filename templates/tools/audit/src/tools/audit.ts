import { z } from "zod";
import { AUDIT } from "../server/policy/audit-trail.js";
import { defineTool, type ToolPack } from "./types.js";

export const auditPack: ToolPack = {
  id: "audit",
  tools: [
    defineTool({
      name: "audit_log",
      title: "Audit log",
      description: "Who called which tool through which agent, and how it ended; newest first, paged with next_cursor.",
      permission: "audit:read",
      inputSchema: {
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(200).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run({ limit, cursor }, ctx) {
        const page = await ctx.store.list(AUDIT, { limit: limit ?? 20, cursor: cursor ?? null });
        return {
          entries: page.records.map((r) => ({ at: r.at, user_id: r.data.user_id, client_id: r.data.client_id, tool: r.data.tool, outcome: r.data.outcome })),
          next_cursor: page.nextCursor,
        };
      },
    }),
  ],
};
