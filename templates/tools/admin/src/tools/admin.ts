import { z } from "zod";
import { recordRevocation } from "../server/policy/audit-trail.js";
import { defineTool, holds, ToolError, type GrantsAccess, type ToolContext, type ToolPack } from "./types.js";

const ADMIN_GRANTS = "admin:grants";

/** The grants to act on and whose they are: your own, or with admin:grants anyone's. */
function access(ctx: ToolContext, userId: string | undefined): { grants: GrantsAccess; userId: string } {
  if (!ctx.grants) throw new ToolError("unavailable", "This server does not issue grants (it is not in proxy mode).");
  const own = ctx.identity.user?.id;
  if (!own) throw new ToolError("no_person", "Only a signed-in person has grants.");
  if (userId && userId !== own && !holds(ctx, ADMIN_GRANTS)) {
    throw new ToolError("permission_denied", `Another person's grants need the permission ${ADMIN_GRANTS}, which your role does not grant.`, {
      permission: ADMIN_GRANTS,
    });
  }
  return { grants: ctx.grants, userId: userId ?? own };
}

export const adminPack: ToolPack = {
  id: "admin",
  tools: [
    defineTool({
      name: "list_grants",
      title: "List grants",
      description: "Lists the agents (OAuth clients) a person has let act for them: yours, or with admin:grants anyone's (user_id).",
      inputSchema: { user_id: z.string().min(1).max(200).optional() },
      annotations: { readOnlyHint: true, openWorldHint: false },
      async run({ user_id }, ctx) {
        const { grants, userId } = access(ctx, user_id);
        return { grants: await grants.list(userId) };
      },
    }),
    defineTool({
      name: "revoke_grant",
      title: "Revoke a grant",
      description:
        "Revokes an agent's access: its tokens stop working at once and it must ask for consent again. Your own grants, " +
        "or with admin:grants anyone's (user_id).",
      inputSchema: { grant_id: z.string().min(1).max(200), user_id: z.string().min(1).max(200).optional() },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      async run({ grant_id, user_id }, ctx) {
        const { grants, userId } = access(ctx, user_id);
        const revoked = await grants.revoke(userId, grant_id);
        if (!revoked) throw new ToolError("not_found", `No grant ${grant_id} for ${userId}.`);
        await recordRevocation(ctx, userId, revoked);
        return { revoked: true, grant_id, user_id: userId };
      },
    }),
  ],
};
