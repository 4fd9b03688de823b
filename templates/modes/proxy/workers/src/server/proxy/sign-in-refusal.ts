import { allowlistRefusal } from "../policy/allowlist.js";
import type { Settings } from "../settings.js";
import type { Identity } from "../../tools/types.js";
import type { PageMessage } from "./error-page.js";
import type { UpstreamPerson } from "./upstream-client.js";

/** The person as /mcp will know them through `clientId`, for the access policy. */
function identityOf(person: UpstreamPerson, clientId: string): Identity {
  return {
    kind: "person",
    user: { id: person.id, email: person.email, email_verified: person.emailVerified, name: person.name },
    organization: person.organization,
    role: person.role,
    permissions: person.permissions,
    permission_sources: {},
    client_id: clientId,
    scopes: [],
    expires_at: null,
  };
}

/** Why the allowlist refuses this person (so they get no grant at all, not one /mcp would refuse), or null. */
export function signInRefusal(person: UpstreamPerson, clientId: string, settings: Settings, upstreamName: string): PageMessage | null {
  const refusal = allowlistRefusal(identityOf(person, clientId), settings);
  if (refusal === null) return null;
  return {
    title: "This account cannot use this server",
    problem: refusal,
    advice: `To use another account, sign out of ${upstreamName}, then start connecting again from your app.`,
  };
}
