import type { Settings } from "../settings.js";
import type { Identity } from "../../tools/types.js";

/** The domain of an address: what follows its last `@` (so `x@example.com@evil.test` is at evil.test). */
const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1);

/**
 * Why this caller may not use the server at all, or null. Empty lists admit every signed-in person; a caller is
 * admitted when any configured list names them. An `ALLOWED_USERS` entry with an `@` is an email, any other a user
 * (or, for an agent acting alone, client) id; an email counts only when the provider says it is verified.
 * A service (a client-credentials token, no person) has no email: `ALLOWED_USERS` admits it by its client id and
 * `ALLOWED_ORGS` by its organization, and an email list or `ALLOWED_EMAIL_DOMAINS` alone admits no service.
 */
export function allowlistRefusal(identity: Identity, settings: Settings): string | null {
  const { allowedUsers, allowedEmailDomains, allowedOrgs } = settings;
  if (!allowedUsers.length && !allowedEmailDomains.length && !allowedOrgs.length) return null;
  const id = identity.user?.id ?? identity.client_id;
  const email = identity.user?.email?.toLowerCase() ?? null;
  const verifiedEmail = identity.user?.email_verified ? email : null;
  const allowedEmails = allowedUsers.filter((entry) => entry.includes("@")).map((entry) => entry.toLowerCase());
  const allowedIds = allowedUsers.filter((entry) => !entry.includes("@"));

  if (id !== null && allowedIds.includes(id)) return null;
  if (verifiedEmail !== null && allowedEmails.includes(verifiedEmail)) return null;
  if (verifiedEmail !== null && allowedEmailDomains.includes(domainOf(verifiedEmail))) return null;
  if (identity.organization && allowedOrgs.includes(identity.organization)) return null;

  const who = email ?? id ?? "this caller";
  if (email !== null && verifiedEmail === null && (allowedEmails.length || allowedEmailDomains.length)) {
    return (
      `${who} is not verified by the sign-in provider, so it does not count for ALLOWED_USERS or ALLOWED_EMAIL_DOMAINS. ` +
      `Verify the address with your sign-in provider and sign in again, or ask this server's operator to add your user id${id ? ` (${id})` : ""} to ALLOWED_USERS.`
    );
  }
  return `${who} is not allowed to use this server: it admits only the people in ALLOWED_USERS, ALLOWED_EMAIL_DOMAINS or ALLOWED_ORGS. Ask its operator to add you.`;
}
