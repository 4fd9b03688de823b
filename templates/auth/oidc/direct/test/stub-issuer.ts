import { startStubServer, stubSigningKey } from "./stub-server.js";

/**
 * Just enough of an OpenID Connect issuer for the tests to run offline: its discovery document and signing keys.
 * Tokens are minted here directly, as the issuer would issue them after a sign-in.
 */
export async function startStubIssuer() {
  const key = await stubSigningKey();
  const server = await startStubServer((path, _req, issuer) => {
    if (path === "/.well-known/openid-configuration") {
      return { status: 200, body: { issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` } };
    }
    if (path === "/jwks") return { status: 200, body: { keys: [key.jwk] } };
    return undefined;
  });
  const issuer = server.origin;
  return {
    issuer,
    /** An access token for `audience` as an OIDC provider issues it: the person, the agent and the granted scopes. */
    mint: (subject: string, audience: string, clientId: string, scope: string, claims: Record<string, unknown> = {}) =>
      key.sign({ client_id: clientId, scope, ...claims }, { issuer, subject, audience }),
    stop: server.stop,
  };
}
