import type { JWTPayload } from "jose";
import { permissions as toolPermissions } from "../tools/index.js";

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The OAuth client an AuthKit access token was issued to (`client_id`, else `azp`). */
export const clientIdOf = (claims: JWTPayload): string | null => text(claims.client_id) ?? text(claims.azp);

/** The scopes an AuthKit access token carries (`scope`, space-separated, else an `scp` list). */
export const scopesOf = (claims: JWTPayload): string[] => (typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : strings(claims.scp));

/** An agent without a person, as a verified AuthKit client-credentials token names it. */
export interface AuthkitService {
  client_id: string;
  organization: string | null;
  scopes: string[];
  /** Its scopes that are tool permissions: an M2M application's scopes are what `create-mcp-auth agents add --scopes` gave it. */
  permissions: string[];
}

/**
 * The service a verified AuthKit token stands for when its subject is the client itself (the client-credentials grant
 * of an M2M application), or null for a person's token. A person's scopes are never permissions; a service's are.
 */
export function authkitService(claims: JWTPayload): AuthkitService | null {
  const clientId = clientIdOf(claims);
  if (clientId === null || claims.sub !== clientId) return null;
  const scopes = scopesOf(claims);
  return { client_id: clientId, organization: text(claims.org_id), scopes, permissions: scopes.filter((scope) => toolPermissions.includes(scope)) };
}
