import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

/** A JSON answer for a path, or undefined for 404. */
export type StubRoute = (path: string, req: IncomingMessage, origin: string) => { status: number; body: unknown } | undefined;

/** A loopback JSON server for a test stand-in (an issuer, an API); answers from `route`. */
export async function startStubServer(route: StubRoute) {
  let origin = "";
  const server = createServer((req, res) => {
    const answer = route(new URL(req.url ?? "/", origin).pathname, req, origin) ?? { status: 404, body: { error: "not_found" } };
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A signing key as an issuer keeps it: the public JWK to publish, and tokens signed with it (valid ten minutes). */
export async function stubSigningKey() {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "stub-key", alg: "RS256", use: "sig" };
  return {
    jwk,
    sign: (claims: JWTPayload, token: { issuer: string; subject: string; audience: string }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
        .setIssuer(token.issuer)
        .setSubject(token.subject)
        .setAudience(token.audience)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey),
  };
}
