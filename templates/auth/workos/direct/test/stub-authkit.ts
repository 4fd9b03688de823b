import { startStubServer, stubSigningKey } from "./stub-server.js";

export interface StubUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  organizationId: string;
  role: string;
  permissions: string[];
}

/**
 * Just enough of AuthKit and the WorkOS API for the tests to run offline: metadata, signing keys, and
 * user lookup. Tokens are minted here directly, as AuthKit would issue them after a sign-in.
 */
export async function startStubAuthKit(users: StubUser[], apiKey: string) {
  const key = await stubSigningKey();
  const server = await startStubServer((path, req, issuer) => {
    if (path === "/.well-known/oauth-authorization-server") {
      return { status: 200, body: { issuer, jwks_uri: `${issuer}/oauth2/jwks`, authorization_endpoint: `${issuer}/oauth2/authorize`, token_endpoint: `${issuer}/oauth2/token` } };
    }
    if (path === "/oauth2/jwks") return { status: 200, body: { keys: [key.jwk] } };
    const userId = /^\/user_management\/users\/([^/]+)$/.exec(path)?.[1];
    if (!userId) return undefined;
    if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { message: "Unauthorized" } };
    const user = users.find((u) => u.id === decodeURIComponent(userId));
    return user
      ? { status: 200, body: { object: "user", id: user.id, email: user.email, email_verified: true, first_name: user.firstName, last_name: user.lastName } }
      : { status: 404, body: { code: "entity_not_found" } };
  });
  const issuer = server.origin;

  return {
    issuer,
    apiHostname: issuer.replace("http://", ""),
    /** An AuthKit-style access token: no email or name, as AuthKit issues them by default. */
    mint: (user: StubUser, audience: string, clientId: string) =>
      key.sign(
        { org_id: user.organizationId, role: user.role, permissions: user.permissions, client_id: clientId, scope: "openid profile email" },
        { issuer, subject: user.id, audience },
      ),
    /** A client-credentials token of an M2M application: its subject is the client itself, no role or permissions. */
    mintService: (app: { clientId: string; organizationId: string; scopes: string[] }, audience: string) =>
      key.sign({ org_id: app.organizationId, client_id: app.clientId, scope: app.scopes.join(" ") }, { issuer, subject: app.clientId, audience }),
    stop: server.stop,
  };
}
