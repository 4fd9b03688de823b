import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { readBody } from "./proxy-fixture.js";

/** A person the stand-in signs in. */
export interface StubPerson {
  id: string;
  email: string;
  name: string;
  organizationId: string | null;
  role: string | null;
  permissions: string[];
}

/**
 * A tiny local stand-in for AuthKit's OAuth endpoints (/oauth2/authorize, /oauth2/token, /oauth2/jwks), so the
 * tests run with no network. It signs the person `signInAs` names in without a login page, requires PKCE S256 and this server's
 * OAuth application (client id and secret), and signs real RS256 tokens.
 */
export async function startStubUpstream(firstPerson: StubPerson) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const clientId = `client_stub_${randomBytes(4).toString("hex")}`;
  const clientSecret = randomBytes(16).toString("hex");
  const codes = new Map<string, { challenge: string; redirectUri: string; person: StubPerson }>();
  const refreshTokens = new Map<string, StubPerson>();
  let signedIn = firstPerson;
  let issuer = "";

  const sign = (person: StubPerson, claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).setIssuer(issuer).setSubject(person.id).setIssuedAt().setExpirationTime("5m").sign(privateKey);

  const tokens = async (person: StubPerson) => {
    const refresh = randomBytes(16).toString("hex");
    refreshTokens.set(refresh, person);
    return {
      access_token: await sign(person, { client_id: clientId, org_id: person.organizationId ?? undefined, role: person.role ?? undefined, permissions: person.permissions }),
      id_token: await sign(person, { aud: clientId, email: person.email, email_verified: true, name: person.name }),
      refresh_token: refresh,
      token_type: "Bearer",
      expires_in: 300,
    };
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/oauth2/jwks") return send(200, { keys: [jwk] });
    if (req.method === "GET" && url.pathname === "/oauth2/authorize") {
      const p = url.searchParams;
      const redirectUri = p.get("redirect_uri") ?? "";
      if (p.get("client_id") !== clientId || !redirectUri.endsWith("/callback")) return send(400, { error: "invalid_request" });
      if (p.get("code_challenge_method") !== "S256" || !p.get("code_challenge")) return send(400, { error: "invalid_request" });
      const code = randomBytes(16).toString("hex");
      codes.set(code, { challenge: p.get("code_challenge")!, redirectUri, person: signedIn });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/oauth2/token") {
      const form = new URLSearchParams(await readBody(req));
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) return send(401, { error: "invalid_client" });
      if (form.get("grant_type") === "authorization_code") {
        const pending = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        const ok = pending && pending.redirectUri === form.get("redirect_uri") && createHash("sha256").update(verifier).digest("base64url") === pending.challenge;
        return ok ? send(200, await tokens(pending.person)) : send(400, { error: "invalid_grant" });
      }
      if (form.get("grant_type") === "refresh_token") {
        const person = refreshTokens.get(form.get("refresh_token") ?? "");
        refreshTokens.delete(form.get("refresh_token") ?? "");
        return person ? send(200, await tokens(person)) : send(400, { error: "invalid_grant" });
      }
      return send(400, { error: "unsupported_grant_type" });
    }
    send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    /** Who signs in at the next authorization. */
    signInAs(person: StubPerson) {
      signedIn = person;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
