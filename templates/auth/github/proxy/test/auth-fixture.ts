import { randomBytes } from "node:crypto";
import { permissions } from "../src/tools/index.js";
import type { AuthFixture } from "./auth-fixture-types.js";
import { proxyAuthFixture } from "./proxy-fixture.js";
import { startStubGitHub, type StubAccount } from "./stub-github.js";

const PERSON: StubAccount = { id: 1001, login: "ada", name: "Ada Lovelace", email: "ada@example.com" };
const ADMIN: StubAccount = { id: 1002, login: "grace", name: "Grace Hopper", email: "grace@example.com" };

/** Proxy mode: the server is its own OAuth server and signs people in with GitHub, here a local stand-in. */
export async function startAuthFixture(): Promise<AuthFixture> {
  const github = await startStubGitHub(PERSON);
  const expectedIdentity: Record<string, unknown> = {
    kind: "person",
    user: { id: String(PERSON.id), email: PERSON.email, email_verified: true, name: PERSON.name },
    organization: null,
    role: null,
    permissions: [],
    permission_sources: {},
    scopes: ["mcp"],
  };
  return proxyAuthFixture({
    upstream: github,
    env: {
      GITHUB_URL: github.origin,
      GITHUB_API_URL: github.origin,
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_ADMINS: String(ADMIN.id),
      COOKIE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    },
    person: PERSON,
    admin: permissions.length > 0 ? ADMIN : null,
    expectedIdentity,
  });
}
