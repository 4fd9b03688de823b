import type { AuthFixture } from "./auth-fixture-types.js";
import { startStubAuthKit, type StubUser } from "./stub-authkit.js";
import { permissions } from "../src/tools/index.js";

const PERSON: StubUser = {
  id: "user_01TESTPERSON",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  organizationId: "org_01TESTORG",
  role: "member",
  permissions: ["shop:read"],
};
const ADMIN: StubUser = {
  id: "user_01TESTADMIN",
  email: "grace@example.com",
  firstName: "Grace",
  lastName: "Hopper",
  organizationId: "org_01TESTORG",
  role: "admin",
  permissions: ["shop:admin", "audit:read", "admin:grants"],
};
const CLIENT_ID = "client_01TESTAGENT";
/** An M2M application (`create-mcp-auth agents add --scopes`): a scope that is no tool permission stays only a scope. */
const SERVICE = { clientId: "client_01TESTSERVICE", organizationId: "org_01TESTORG", scopes: ["shop:admin", "audit:read", "reports:export"] };
const API_KEY = "sk_test_stub";

/** Direct mode against a local AuthKit stand-in: the server checks tokens it signs and looks people up in it. */
export async function startAuthFixture(): Promise<AuthFixture> {
  const authkit = await startStubAuthKit([PERSON, ADMIN], API_KEY);
  return {
    env: { AUTHKIT_DOMAIN: authkit.issuer, WORKOS_API_HOSTNAME: authkit.apiHostname, WORKOS_API_KEY: API_KEY },
    headers: async (serverUrl) => ({ authorization: `Bearer ${await authkit.mint(PERSON, `${serverUrl}/mcp`, CLIENT_ID)}` }),
    adminHeaders: async (serverUrl) => ({ authorization: `Bearer ${await authkit.mint(ADMIN, `${serverUrl}/mcp`, CLIENT_ID)}` }),
    expectedIdentity: {
      kind: "person",
      user: { id: PERSON.id, email: PERSON.email, email_verified: true, name: "Ada Lovelace" },
      organization: PERSON.organizationId,
      role: PERSON.role,
      permissions: PERSON.permissions,
      permission_sources: { "shop:read": "role" },
      client_id: CLIENT_ID,
    },
    service: {
      headers: async (serverUrl) => ({ authorization: `Bearer ${await authkit.mintService(SERVICE, `${serverUrl}/mcp`)}` }),
      expectedIdentity: {
        kind: "service",
        user: null,
        organization: SERVICE.organizationId,
        role: null,
        permissions: SERVICE.scopes.filter((scope) => permissions.includes(scope)),
        client_id: SERVICE.clientId,
        scopes: SERVICE.scopes,
      },
    },
    stop: () => authkit.stop(),
  };
}
