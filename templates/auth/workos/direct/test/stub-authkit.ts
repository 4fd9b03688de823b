import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

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
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "stub-key", alg: "RS256", use: "sig" };
  let issuer = "";
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === "/.well-known/oauth-authorization-server") {
      return send(200, { issuer, jwks_uri: `${issuer}/oauth2/jwks`, authorization_endpoint: `${issuer}/oauth2/authorize`, token_endpoint: `${issuer}/oauth2/token` });
    }
    if (path === "/oauth2/jwks") return send(200, { keys: [jwk] });
    const userId = /^\/user_management\/users\/([^/]+)$/.exec(path)?.[1];
    if (userId) {
      if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { message: "Unauthorized" });
      const user = users.find((u) => u.id === decodeURIComponent(userId));
      return user ? send(200, { object: "user", id: user.id, email: user.email, first_name: user.firstName, last_name: user.lastName }) : send(404, { code: "entity_not_found" });
    }
    send(404, { message: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    apiHostname: issuer.replace("http://", ""),
    /** An AuthKit-style access token: no email or name, as AuthKit issues them by default. */
    mint(user: StubUser, audience: string, clientId: string) {
      return new SignJWT({ org_id: user.organizationId, role: user.role, permissions: user.permissions, client_id: clientId, scope: "openid profile email" })
        .setProtectedHeader({ alg: "RS256", kid: "stub-key" })
        .setIssuer(issuer)
        .setSubject(user.id)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
