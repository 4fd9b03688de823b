import type { AuthFixture } from "./auth-fixture-types.js";

/** Authless: nothing to start, no headers to send, and everyone is the same anonymous caller. */
export async function startAuthFixture(): Promise<AuthFixture> {
  return {
    env: {},
    headers: async () => ({}),
    adminHeaders: async () => null,
    expectedIdentity: {
      kind: "anonymous",
      user: null,
      organization: null,
      role: null,
      permissions: [],
      permission_sources: {},
      client_id: null,
      scopes: [],
      expires_at: null,
    },
    stop: async () => {},
  };
}
