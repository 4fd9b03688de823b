import { describe, expect, it } from "vitest";
import { allowlistRefusal } from "../src/server/policy/allowlist.js";
import { readSettings } from "../src/server/settings.js";
import type { Identity } from "../src/tools/types.js";

const person = (id: string, email: string | null, emailVerified: boolean): Identity => ({
  kind: "person",
  user: { id, email, email_verified: emailVerified, name: null },
  organization: null,
  role: null,
  permissions: [],
  permission_sources: {},
  client_id: "agent",
  scopes: [],
  expires_at: null,
});
const policy = (env: Record<string, string>) => readSettings(env);

/** An agent without a person (a client-credentials token) of an organization. */
const service = (clientId: string, organization: string | null): Identity => ({ ...person("", null, false), kind: "service", user: null, organization, client_id: clientId });

describe("the allowlist (src/policy/allowlist.ts)", () => {
  it("admits a service by its organization or client id, never by an email list or domain", () => {
    expect(allowlistRefusal(service("client_01NIGHTLY", "org_01ACME"), policy({ ALLOWED_ORGS: "org_01ACME" }))).toBeNull();
    expect(allowlistRefusal(service("client_01NIGHTLY", null), policy({ ALLOWED_USERS: "client_01NIGHTLY" }))).toBeNull();
    const refusal = allowlistRefusal(service("client_01NIGHTLY", "org_01OTHER"), policy({ ALLOWED_USERS: "ada@example.com", ALLOWED_EMAIL_DOMAINS: "example.com", ALLOWED_ORGS: "org_01ACME" }));
    expect(refusal).toMatch(/^client_01NIGHTLY is not allowed to use this server/);
  });

  it("admits everyone while no list is set", () => {
    expect(allowlistRefusal(person("u1", "x@evil.test", false), policy({}))).toBeNull();
  });

  it("counts an email only when the provider verified it, and says so when it did not", () => {
    const settings = policy({ ALLOWED_USERS: "ada@example.com", ALLOWED_EMAIL_DOMAINS: "example.com" });
    expect(allowlistRefusal(person("u1", "ada@example.com", true), settings)).toBeNull();
    expect(allowlistRefusal(person("u2", "bob@example.com", true), settings)).toBeNull();
    const refusal = allowlistRefusal(person("u1", "ada@example.com", false), settings);
    expect(refusal).toMatch(/not verified/);
    expect(refusal).toContain("u1");
  });

  it("takes the domain after the last @", () => {
    const settings = policy({ ALLOWED_EMAIL_DOMAINS: "example.com" });
    expect(allowlistRefusal(person("u1", "x@example.com@evil.test", true), settings)).toMatch(/not allowed/);
  });

  it("matches user ids with ids and emails with emails", () => {
    const settings = policy({ ALLOWED_USERS: "user_01VIP" });
    expect(allowlistRefusal(person("user_01VIP", null, false), settings)).toBeNull();
    expect(allowlistRefusal(person("user_02EVE", "user_01VIP", true), settings)).toMatch(/not allowed/);
    expect(allowlistRefusal(person("ada@example.com", "eve@evil.test", true), policy({ ALLOWED_USERS: "ada@example.com" }))).toMatch(/not allowed/);
  });
});
