import type { AuthLayer } from "./auth-layer.js";

const HINT =
  "This server has no sign-in: every caller is anonymous and all callers share one state. " +
  "To add sign-in, generate a project from a sign-in template (`npx create-mcp-auth --list` shows them) " +
  "and move your tools into it.";

/** Authless: nobody signs in, so every request comes from the same anonymous caller. */
export const auth: AuthLayer = {
  async identify() {
    return {
      kind: "anonymous",
      user: null,
      organization: null,
      role: null,
      permissions: [],
      permission_sources: {},
      client_id: null,
      scopes: [],
      expires_at: null,
      hint: HINT,
    };
  },
};
