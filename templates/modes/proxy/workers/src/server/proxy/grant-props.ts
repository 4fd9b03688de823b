import type { GrantProps } from "./proxy-types.js";
import type { UpstreamPerson } from "./upstream-client.js";

/** A grant's props for `person` acting through `clientId`; the upstream refresh token only server-side. */
export function grantPropsFor(person: UpstreamPerson, clientId: string, clientName: string | undefined, previousRefreshToken: string | null = null): GrantProps {
  const refreshToken = person.refreshToken ?? previousRefreshToken;
  return {
    user: { id: person.id, email: person.email, email_verified: person.emailVerified, name: person.name },
    organization: person.organization,
    role: person.role,
    permissions: person.permissions,
    client_id: clientId,
    ...(clientName ? { client_name: clientName } : {}),
    ...(person.development ? { development: true as const } : {}),
    ...(refreshToken ? { upstream: { refreshToken } } : {}),
  };
}
