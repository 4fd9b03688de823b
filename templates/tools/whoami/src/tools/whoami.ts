import { defineTool, type ToolPack } from "./types.js";

export const whoamiPack: ToolPack = {
  id: "whoami",
  tools: [
    defineTool({
      name: "whoami",
      title: "Who am I?",
      description:
        "Shows who this server thinks is calling: the kind of caller, user, organization, role, " +
        "permissions (and where each comes from), OAuth client (and its name, where this server registered it) and scopes, and when the credentials expire.",
      annotations: { readOnlyHint: true, openWorldHint: false },
      run: (_args, { identity }) => {
        const { kind, user, organization, role, permissions, permission_sources, client_id, client_name, scopes, expires_at, hint } = identity;
        return {
          kind, user, organization, role, permissions, permission_sources, client_id,
          ...(client_name ? { client_name } : {}),
          scopes, expires_at,
          ...(hint ? { hint } : {}),
        };
      },
    }),
  ],
};
