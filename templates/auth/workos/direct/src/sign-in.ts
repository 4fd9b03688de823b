import type { JWTPayload } from "jose";
import type { DirectProvider } from "./server/direct-provider.js";
import { authkitService, clientIdOf, scopesOf } from "./server/authkit-service.js";
import { permissionsFrom, serviceIdentity } from "./server/policy/permissions.js";
import type { Identity } from "./tools/types.js";
import { settingProblems } from "./server/sign-in-state.js";
import { authkitUrl, workosApiUrl, workosProfile } from "./server/workos-api.js";

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/**
 * AuthKit as the authorization server (MCP clients register with it through DCR or CIMD). A person's permissions are the
 * token's `permissions` claim only, which AuthKit fills from their role: a scope, which a client may ask for, is never
 * one. A service (an M2M application's client-credentials token, subject = client id) has no role: its permissions are
 * its scopes that are tool permissions, which whoever ran `create-mcp-auth agents add --scopes` gave the application.
 */
export const provider: DirectProvider = {
  name: "WorkOS AuthKit",
  settingNames: ["AUTHKIT_DOMAIN"],
  settingProblems: (env) => settingProblems(() => authkitUrl(env), () => workosApiUrl(env)),
  issuer: (env) => authkitUrl(env),
  audience: (env, resource) => env.WORKOS_AUDIENCE?.trim() || resource,
  jwksUri: (issuer) => `${issuer}/oauth2/jwks`,

  async identity(claims: JWTPayload, env): Promise<Identity> {
    const expires_at = new Date(claims.exp! * 1000).toISOString();
    // A token whose subject is the client itself (client credentials) acts for no person: nobody to look up.
    const service = authkitService(claims);
    if (service) return serviceIdentity({ ...service, expires_at });
    const sub = claims.sub!;
    // An email in the token (a JWT template) counts as verified only when the token says so; else WorkOS's user record says.
    let email = text(claims.email);
    let emailVerified = email !== null && claims.email_verified === true;
    let name = text(claims.name);
    if (!emailVerified || !name) {
      const profile = await workosProfile(sub, env);
      if (!emailVerified && profile.email) ({ email, emailVerified } = profile);
      name ??= profile.name;
    }
    return {
      kind: "person",
      user: { id: sub, email, email_verified: emailVerified, name },
      organization: text(claims.org_id),
      role: text(claims.role),
      ...permissionsFrom(["role", strings(claims.permissions)]),
      client_id: clientIdOf(claims),
      scopes: scopesOf(claims),
      expires_at,
    };
  },
};
