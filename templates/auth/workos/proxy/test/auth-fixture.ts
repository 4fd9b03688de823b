import { randomBytes } from "node:crypto";
import type { AuthFixture } from "./auth-fixture-types.js";
import { proxyAuthFixture } from "./proxy-fixture.js";
import { startStubUpstream, type StubPerson } from "./stub-upstream.js";

const PERSON: StubPerson = {
  id: "user_01TESTPERSON",
  email: "ada@example.com",
  name: "Ada Lovelace",
  organizationId: "org_01TESTORG",
  role: "member",
  permissions: ["shop:read"],
};
const ADMIN: StubPerson = {
  id: "user_01TESTADMIN",
  email: "grace@example.com",
  name: "Grace Hopper",
  organizationId: "org_01TESTORG",
  role: "admin",
  permissions: ["shop:admin", "audit:read"],
};

/** Proxy mode: the server is its own OAuth server and signs people in with AuthKit, here a local stand-in. */
export async function startAuthFixture(): Promise<AuthFixture> {
  const upstream = await startStubUpstream(PERSON);
  const expectedIdentity: Record<string, unknown> = {
    kind: "person",
    user: { id: PERSON.id, email: PERSON.email, email_verified: true, name: PERSON.name },
    organization: PERSON.organizationId,
    role: PERSON.role,
    // The person holds shop:read, but a token asking only for `mcp` carries no permission.
    permissions: [],
    permission_sources: {},
    scopes: ["mcp"],
  };
  return proxyAuthFixture({
    upstream,
    env: {
      AUTHKIT_DOMAIN: upstream.issuer,
      WORKOS_APP_CLIENT_ID: upstream.clientId,
      WORKOS_APP_CLIENT_SECRET: upstream.clientSecret,
      COOKIE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    },
    person: PERSON,
    admin: ADMIN,
    expectedIdentity,
  });
}
