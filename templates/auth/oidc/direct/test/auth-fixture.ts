import type { AuthFixture } from "./auth-fixture-types.js";
import { startStubIssuer } from "./stub-issuer.js";

const PERSON = { sub: "auth0|test-person", email: "ada@example.com", name: "Ada Lovelace" };
const ADMIN = { sub: "auth0|test-admin", email: "grace@example.com", name: "Grace Hopper" };
const CLIENT_ID = "test-agent";

/** Direct mode against a local OIDC issuer stand-in: the server discovers its keys and checks the tokens it signs. */
export async function startAuthFixture(): Promise<AuthFixture> {
  const issuer = await startStubIssuer();
  const token = (who: typeof PERSON, serverUrl: string, scope: string) =>
    issuer.mint(who.sub, `${serverUrl}/mcp`, CLIENT_ID, scope, { email: who.email, email_verified: true, name: who.name });
  return {
    env: { OIDC_ISSUER: issuer.issuer },
    headers: async (serverUrl) => ({ authorization: `Bearer ${await token(PERSON, serverUrl, "openid profile")}` }),
    adminHeaders: async (serverUrl) => ({ authorization: `Bearer ${await token(ADMIN, serverUrl, "openid shop:admin audit:read")}` }),
    expectedIdentity: {
      kind: "person",
      user: { id: PERSON.sub, email: PERSON.email, email_verified: true, name: PERSON.name },
      organization: null,
      role: null,
      permissions: ["openid", "profile"],
      permission_sources: { openid: "scope", profile: "scope" },
      client_id: CLIENT_ID,
      scopes: ["openid", "profile"],
    },
    stepUp: true,
    stop: () => issuer.stop(),
  };
}
