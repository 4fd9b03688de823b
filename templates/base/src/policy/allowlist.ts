import type { Settings } from "../settings.js";
import type { Identity } from "../tools/types.js";

/**
 * Why this caller may not use the server at all, or null. Empty lists admit every signed-in person; a caller is
 * admitted when any configured list names them (user id or email, email domain, organization).
 */
export function allowlistRefusal(identity: Identity, settings: Settings): string | null {
  const { allowedUsers, allowedEmailDomains, allowedOrgs } = settings;
  if (!allowedUsers.length && !allowedEmailDomains.length && !allowedOrgs.length) return null;
  const id = identity.user?.id ?? identity.client_id ?? "";
  const email = identity.user?.email?.toLowerCase() ?? "";
  const domain = email.split("@")[1] ?? "";
  if (allowedUsers.some((u) => u === id || u.toLowerCase() === email)) return null;
  if (domain && allowedEmailDomains.includes(domain)) return null;
  if (identity.organization && allowedOrgs.includes(identity.organization)) return null;
  const who = email || id || "this caller";
  return `${who} is not allowed to use this server: it admits only the people in ALLOWED_USERS, ALLOWED_EMAIL_DOMAINS or ALLOWED_ORGS. Ask its operator to add you.`;
}
