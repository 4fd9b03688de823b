import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import type { Context, Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app.js";
import { isLoopbackHost } from "../origin.js";
import { permissionsFrom } from "../policy/permissions.js";
import type { Identity } from "../../tools/types.js";
import { AUTHORIZE_PATH, devAuthorizeRoutes } from "./authorize-routes.js";
import { randomToken } from "../base64url.js";
import { redeemCode } from "./codes.js";
import type { TestPerson } from "./people.js";

/**
 * The development sign-in in direct mode: this server is its own authorization server while the provider is not set
 * up, on this machine only (RFC 8414 metadata, RFC 7591 registration, PKCE S256, exact redirect URIs, JWT access
 * tokens signed with a key made at start-up and published as JWKS). Its tokens go through the same checks as the
 * provider's; they carry `dev_sign_in: true`, and nothing accepts them once the provider is set up.
 */

const TOKEN_PATH = "/dev-sign-in/token";
const REGISTER_PATH = "/dev-sign-in/register";
const JWKS_PATH = "/dev-sign-in/jwks";
const METADATA_PATH = "/.well-known/oauth-authorization-server";
const ACCESS_TOKEN_TTL_S = 60 * 60;
export const DEV_SIGN_IN_CLAIM = "dev_sign_in";

interface Client {
  client_id: string;
  client_name: string | null;
  redirect_uris: string[];
}

/** Registered clients and refresh tokens live in this process (or Worker isolate): a restart means signing in again. */
const clients = new Map<string, Client>();
const refreshTokens = new Map<string, { person: TestPerson; clientId: string; scope: string }>();
const MAX_ENTRIES = 1_000;

let signingKey: Promise<{ privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"]; jwk: JWK }> | undefined;
function key() {
  signingKey ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: randomToken().slice(0, 16), alg: "ES256", use: "sig" } };
  })();
  return signingKey;
}

/** The keys a development token verifies with (the same jose checks as the provider's). */
export const developmentKeys = async () => createLocalJWKSet({ keys: [(await key()).jwk] });

/** A development token's identity: its claims are this server's own, so they are believed as they are. */
export function developmentIdentity(claims: JWTPayload): Identity {
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
  return {
    kind: "person",
    user: { id: claims.sub!, email: String(claims.email), email_verified: true, name: String(claims.name) },
    organization: String(claims.org_id),
    role: String(claims.role),
    ...permissionsFrom(["role", strings(claims.permissions)]),
    client_id: String(claims.client_id),
    scopes: String(claims.scope ?? "").split(" ").filter(Boolean),
    expires_at: new Date(claims.exp! * 1000).toISOString(),
    hint: "Signed in through the development sign-in: a test person, on this machine only.",
  };
}

async function accessToken(origin: string, person: TestPerson, clientId: string, scope: string): Promise<string> {
  const { privateKey, jwk } = await key();
  return new SignJWT({
    email: person.email,
    email_verified: true,
    name: person.name,
    org_id: person.organization,
    role: person.role,
    permissions: person.permissions,
    client_id: clientId,
    scope,
    [DEV_SIGN_IN_CLAIM]: true,
  })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid!, typ: "at+jwt" })
    .setIssuer(origin)
    .setAudience(`${origin}/mcp`)
    .setSubject(person.id)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_S}s`)
    .sign(privateKey);
}

const oauthError = (error: string, description: string, status = 400) =>
  Response.json({ error, error_description: description }, { status, headers: { "cache-control": "no-store" } });

/** A redirect URI a development client may register: https, a loopback http address, or an app's own scheme. */
function acceptableRedirect(uri: unknown): uri is string {
  if (typeof uri !== "string") return false;
  try {
    const url = new URL(uri);
    if (url.hash) return false;
    if (url.protocol === "http:") return isLoopbackHost(url.hostname);
    return url.protocol !== "javascript:" && url.protocol !== "data:";
  } catch {
    return false;
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
}

async function issueTokens(origin: string, person: TestPerson, clientId: string, scope: string) {
  const refresh = randomToken();
  remember(refreshTokens, refresh, { person, clientId, scope });
  return Response.json(
    { access_token: await accessToken(origin, person, clientId, scope), token_type: "Bearer", expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refresh, scope },
    { headers: { "cache-control": "no-store" } },
  );
}

export function developmentRoutes(app: Hono<AppEnv>, providerName: string): void {
  const active = (c: Context<AppEnv>) => c.var.signIn.kind === "development";
  // Browser-based clients (MCP Inspector) discover, register and fetch tokens from their own page.
  for (const path of [METADATA_PATH, REGISTER_PATH, TOKEN_PATH, JWKS_PATH]) app.use(path, cors());

  app.get(METADATA_PATH, (c) => {
    if (!active(c)) return c.notFound();
    const origin = c.var.origin;
    return c.json({
      issuer: origin,
      authorization_endpoint: `${origin}${AUTHORIZE_PATH}`,
      token_endpoint: `${origin}${TOKEN_PATH}`,
      registration_endpoint: `${origin}${REGISTER_PATH}`,
      jwks_uri: `${origin}${JWKS_PATH}`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none"],
      authorization_response_iss_parameter_supported: true,
    });
  });

  app.get(JWKS_PATH, async (c) => (active(c) ? c.json({ keys: [(await key()).jwk] }) : c.notFound()));

  app.post(REGISTER_PATH, async (c) => {
    if (!active(c)) return c.notFound();
    const body = (await c.req.json().catch(() => null)) as { redirect_uris?: unknown; client_name?: unknown } | null;
    const uris = body?.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || !uris.every(acceptableRedirect)) {
      return oauthError("invalid_redirect_uri", "redirect_uris must list https URLs, loopback http URLs or an app's own scheme.");
    }
    const client: Client = {
      client_id: `dev_${randomToken().slice(0, 22)}`,
      client_name: typeof body!.client_name === "string" ? body!.client_name.slice(0, 100) : null,
      redirect_uris: uris as string[],
    };
    remember(clients, client.client_id, client);
    return c.json(
      { ...client, client_id_issued_at: Math.floor(Date.now() / 1000), token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] },
      201,
    );
  });

  devAuthorizeRoutes(app, {
    providerName,
    requester(_c, params) {
      const client = clients.get(params.get("client_id") ?? "");
      if (!client) return { problem: "This app is not registered here (the development sign-in forgets apps when the server restarts)." };
      const redirectUri = params.get("redirect_uri") ?? (client.redirect_uris.length === 1 ? client.redirect_uris[0]! : "");
      if (!client.redirect_uris.includes(redirectUri)) return { problem: "The app asked to be sent back to an address it did not register." };
      return { clientId: client.client_id, clientName: client.client_name, redirectUri };
    },
    requestError: (c, params) => {
      const resource = params.get("resource");
      return resource !== null && resource !== `${c.var.origin}/mcp` ? "invalid_target" : null;
    },
  });

  app.post(TOKEN_PATH, async (c) => {
    if (!active(c)) return c.notFound();
    const form = await c.req.formData().catch(() => null);
    const field = (name: string) => (typeof form?.get(name) === "string" ? String(form!.get(name)) : "");
    const clientId = field("client_id");
    if (!clients.has(clientId)) return oauthError("invalid_client", "Unknown client: register again (the development sign-in forgets apps when the server restarts).", 401);
    if (field("grant_type") === "authorization_code") {
      const pending = await redeemCode(field("code"), { clientId, redirectUri: field("redirect_uri"), codeVerifier: field("code_verifier") });
      if (!pending) return oauthError("invalid_grant", "The code is not valid: expired, used already, or not for this client, redirect URI and code verifier.");
      return issueTokens(c.var.origin, pending.person, clientId, pending.scope);
    }
    if (field("grant_type") === "refresh_token") {
      const token = field("refresh_token");
      const grant = refreshTokens.get(token);
      refreshTokens.delete(token); // rotated on every use
      if (!grant || grant.clientId !== clientId) return oauthError("invalid_grant", "The refresh token is not valid. Sign in again.");
      return issueTokens(c.var.origin, grant.person, clientId, grant.scope);
    }
    return oauthError("unsupported_grant_type", "Use authorization_code or refresh_token.");
  });
}
