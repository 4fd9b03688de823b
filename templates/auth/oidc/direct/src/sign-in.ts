import type { JWTPayload } from "jose";
import type { DirectProvider } from "./server/direct-provider.js";
import { permissionsFrom } from "./server/policy/permissions.js";
import { secureUrl, SettingsError, type Env } from "./server/settings.js";
import { settingProblems } from "./server/sign-in-state.js";
import type { Identity } from "./tools/types.js";

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/** OIDC_ISSUER exactly as tokens carry it (a trailing slash or a path such as /realms/x included); https or loopback http. */
export function oidcIssuer(env: Env): string {
  const value = env.OIDC_ISSUER?.trim();
  if (!value) throw new SettingsError("OIDC_ISSUER is not set: put your identity provider's issuer URL (the `iss` of its tokens), e.g. https://acme.eu.auth0.com/.");
  secureUrl(value, "OIDC_ISSUER");
  return value;
}

const DISCOVERY_TTL_MS = 60 * 60_000;
const discovered = new Map<string, { jwksUri: Promise<string>; until: number }>();

/** The issuer's signing keys, from its OpenID Connect discovery document (cached for an hour; a failure is not cached). */
function discoverJwksUri(issuer: string): Promise<string> {
  const cached = discovered.get(issuer);
  if (cached && cached.until > Date.now()) return cached.jwksUri;
  const jwksUri = (async () => {
    const response = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
    const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (metadata.issuer !== issuer) throw new Error(`the issuer's discovery document names another issuer (${String(metadata.issuer)})`);
    if (typeof metadata.jwks_uri !== "string") throw new Error("the issuer's discovery document names no jwks_uri");
    return metadata.jwks_uri;
  })();
  discovered.set(issuer, { jwksUri, until: Date.now() + DISCOVERY_TTL_MS });
  jwksUri.catch((error: Error) => {
    discovered.delete(issuer);
    console.error(`OIDC discovery for ${issuer} failed: ${error.message}`);
  });
  return jwksUri;
}

/**
 * Any OpenID Connect issuer as the authorization server. Its access tokens must be JWTs for this server's audience.
 * Permissions are the scopes the issuer granted in such a token, plus an Auth0-style `permissions` claim (RBAC roles):
 * an issuer that grants any scope a client asks for grants every permission too, so configure which clients or
 * people it grants permission scopes to.
 */
export const provider: DirectProvider = {
  name: "your OpenID Connect provider",
  settingNames: ["OIDC_ISSUER"],
  settingProblems: (env) => settingProblems(() => oidcIssuer(env)),
  issuer: (env) => oidcIssuer(env),
  audience: (env, resource) => env.OIDC_AUDIENCE?.trim() || resource,
  jwksUri: (issuer) => discoverJwksUri(issuer),
  permissionsAreScopes: true,

  async identity(claims: JWTPayload): Promise<Identity> {
    const sub = claims.sub!;
    const clientId = text(claims.client_id) ?? text(claims.azp);
    // A token whose subject is the client itself (client credentials) acts for no person.
    const service = sub === clientId;
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : strings(claims.scp);
    return {
      kind: service ? "service" : "person",
      user: service ? null : { id: sub, email: text(claims.email), email_verified: claims.email_verified === true, name: text(claims.name) },
      organization: text(claims.org_id) ?? text(claims.organization),
      role: text(claims.role),
      ...permissionsFrom(["scope", scopes], ["role", strings(claims.permissions)]),
      client_id: clientId,
      scopes,
      expires_at: new Date(claims.exp! * 1000).toISOString(),
    };
  },
};
