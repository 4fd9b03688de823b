import { permissions } from "../../tools/index.js";

/** The scope an agent needs to use this server's tools (asked for first, shown on the consent page). */
export const MCP_SCOPE = "mcp";
const OFFLINE_ACCESS = "offline_access";

/** Every scope this server's OAuth server issues: the base ones, and one per permission its tools check. */
export const SCOPES_SUPPORTED: readonly string[] = [MCP_SCOPE, OFFLINE_ACCESS, ...permissions];

/** What a client asked for that this server defines, without duplicates; anything else is dropped, never granted. */
export function definedScopes(requested: readonly string[]): string[] {
  return [...new Set(requested)].filter((scope) => SCOPES_SUPPORTED.includes(scope));
}

/** Whether a scope stands for one of the tools' permissions. */
export const isPermissionScope = (scope: string) => permissions.includes(scope);

/**
 * The scopes a grant (or a refreshed token) holds: what was asked for ∩ what this server defines, and a permission
 * scope only while the person holds that permission upstream (their role, GITHUB_ADMINS). Asking is never enough.
 */
export function grantedScopes(requested: readonly string[], held: readonly string[]): string[] {
  return definedScopes(requested).filter((scope) => !isPermissionScope(scope) || held.includes(scope));
}

/**
 * What an approval on the consent page grants: `grantedScopes`, and of the permission scopes only those the person
 * left ticked. A form value naming anything else (not asked for, not held) is ignored.
 */
export function consentedScopes(requested: readonly string[], held: readonly string[], ticked: readonly string[]): string[] {
  return grantedScopes(requested, held).filter((scope) => !isPermissionScope(scope) || ticked.includes(scope));
}
