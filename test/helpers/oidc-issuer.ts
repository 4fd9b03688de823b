import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import Provider from "oidc-provider";
import { browse, CookieJar, followUntil } from "./proxy-oauth.js";

/** A person the issuer knows: the account id is the token's `sub`. */
export interface OidcAccount {
  id: string;
  email: string;
  name: string;
}

/** Scopes the issuer grants to this server's resource (the generic OIDC template reads them as permissions). */
export const RESOURCE_SCOPES = ["shop:admin", "audit:read", "mcp:tools"];

/** A confidential client that acts for no person: the client-credentials grant, with a JWT access token for a resource. */
export const SERVICE_CLIENT = { id: "svc-reporting-agent", secret: "svc-reporting-agent-secret", scopes: ["shop:admin", "mcp:tools"] };

/**
 * `oidc-provider` — a real OAuth 2.1 / OpenID Connect server — as the generic OIDC template's authorization server:
 * Dynamic Client Registration, PKCE, RFC 8707 resource indicators with JWT access tokens for the resource, and the
 * development login and consent pages, which `signIn` drives over HTTP like a browser. Its signing key is made here,
 * so tests can also forge the tokens of the bad-token battery.
 */
export async function startOidcIssuer(accounts: OidcAccount[]) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = "issuer-key";
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  const { createServer } = await import("node:http");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const byId = new Map(accounts.map((a) => [a.id, a]));

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: [
      {
        client_id: SERVICE_CLIENT.id,
        client_secret: SERVICE_CLIENT.secret,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        scope: SERVICE_CLIENT.scopes.join(" "),
      },
    ],
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          audience: resource,
          scope: RESOURCE_SCOPES.join(" "),
          accessTokenFormat: "jwt",
          accessTokenTTL: 600,
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    scopes: ["openid", "profile", "email", "offline_access", ...RESOURCE_SCOPES],
    pkce: { required: () => true },
    findAccount: (_ctx, id) => {
      const account = byId.get(id);
      return account ? { accountId: id, claims: () => ({ sub: id, email: account.email, name: account.name }) } : undefined;
    },
    // The person's email (verified) and name ride in the access token too, as providers can be told to do.
    extraTokenClaims: (_ctx, token) => {
      const account = byId.get((token as { accountId?: string }).accountId ?? "");
      return account ? { email: account.email, email_verified: true, name: account.name } : {};
    },
  });
  provider.on("server_error", (_ctx, error) => console.error("oidc-provider:", error));
  server.on("request", provider.callback());

  return {
    issuer,
    /** The browser part of an authorization: the development login page (as `accountId`), then consent, back to `redirectUri`. */
    async signIn(jar: CookieJar, authorizationUrl: string, redirectUri: string, accountId: string): Promise<URL> {
      let response = await browse(jar, authorizationUrl);
      let url = authorizationUrl;
      for (let step = 0; step < 10; step++) {
        if (response.status !== 302 && response.status !== 303) throw new Error(`expected a redirect from ${url}, got ${response.status}: ${(await response.text()).slice(0, 500)}`);
        url = new URL(response.headers.get("location")!, url).toString();
        if (url.startsWith(redirectUri)) return new URL(url);
        const page = await browse(jar, url);
        if (page.status !== 200) {
          response = page;
          continue;
        }
        // A development interaction page: the login form (any password), or the consent form.
        const html = await page.text();
        const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
        if (!action) throw new Error(`no form on ${url}:\n${html.slice(0, 500)}`);
        const fields = Object.fromEntries([...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
        const form = html.includes('name="login"') ? { ...fields, login: accountId, password: "any" } : fields;
        response = await browse(jar, new URL(action, url).toString(), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(form).toString(),
        });
      }
      return new URL(await followUntil(jar, response, url, redirectUri));
    },
    /** The client-credentials grant at the issuer's token endpoint (client_secret_basic), for `resource`: the access token. */
    async clientCredentials(resource: string, scope = SERVICE_CLIENT.scopes.join(" ")): Promise<string> {
      const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
      const response = await fetch(metadata.token_endpoint, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${SERVICE_CLIENT.id}:${SERVICE_CLIENT.secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", scope, resource }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`client_credentials: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token as string;
    },
    /** Signs `claims` with the issuer's key (or another, or none), for the bad-token battery. */
    async forge(claims: JWTPayload, options: { key?: "issuer" | "untrusted"; alg?: "RS256" | "none"; kid?: string } = {}) {
      if (options.alg === "none") {
        const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
        return `${part({ alg: "none", typ: "at+jwt" })}.${part(claims)}.`;
      }
      const key = options.key === "untrusted" ? (await generateKeyPair("RS256")).privateKey : privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: options.kid ?? kid }).sign(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
