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
