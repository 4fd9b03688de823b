import type { Identity, PermissionSource } from "../../tools/types.js";

/**
 * An identity's permissions from the lists a provider vouches for, each with its source; a permission in
 * several lists keeps the first source named.
 */
export function permissionsFrom(...lists: [PermissionSource, readonly string[]][]): Pick<Identity, "permissions" | "permission_sources"> {
  const permission_sources: Record<string, PermissionSource> = {};
  for (const [source, permissions] of lists) {
    for (const permission of permissions) permission_sources[permission] ??= source;
  }
  return { permissions: Object.keys(permission_sources), permission_sources };
}

/**
 * An agent without a person (a client-credentials token): no user and no role; its permissions are the scopes the
 * provider vouches for as permissions. Its state and quotas are its own (subject `client:<id>`).
 */
export function serviceIdentity(service: { client_id: string; organization: string | null; scopes: string[]; permissions: string[]; expires_at: string }): Identity {
  return {
    kind: "service",
    user: null,
    organization: service.organization,
    role: null,
    ...permissionsFrom(["scope", service.permissions]),
    client_id: service.client_id,
    scopes: service.scopes,
    expires_at: service.expires_at,
  };
}
