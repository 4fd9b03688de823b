import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { MachineTokenRefused, tokenRequest, type Upstream, UpstreamError, type UpstreamPerson } from "./server/proxy/upstream-client.js";
import { authkitService } from "./server/authkit-service.js";
import { isTokenProblem, verifyAccessToken } from "./server/jwt.js";
import { SettingsError, type Env } from "./server/settings.js";
import { authkitUrl, workosApiUrl } from "./server/workos-api.js";
import { settingProblems } from "./server/sign-in-state.js";

/**
 * WorkOS AuthKit as proxy mode's sign-in provider. By default through this server's own WorkOS OAuth application
 * (WORKOS_APP_CLIENT_ID / WORKOS_APP_CLIENT_SECRET) against AuthKit's /oauth2/authorize and /oauth2/token.
 * Without those, and with WORKOS_CLIENT_ID and WORKOS_API_KEY set, through the environment's AuthKit client and
 * the user-management API instead. Access tokens are verified against the JWKS before any claim is believed.
 */

const SCOPE = "openid profile email offline_access";

type Mode =
  | { kind: "application"; authkit: string; clientId: string; clientSecret: string }
  | { kind: "user-management"; api: string; clientId: string; apiKey: string };

function mode(env: Env): Mode {
  const clientId = env.WORKOS_APP_CLIENT_ID?.trim();
  const clientSecret = env.WORKOS_APP_CLIENT_SECRET?.trim();
  if (clientId && clientSecret) return { kind: "application", authkit: authkitUrl(env), clientId, clientSecret };
  const environmentClientId = env.WORKOS_CLIENT_ID?.trim();
  const apiKey = env.WORKOS_API_KEY?.trim();
  if (!clientId && environmentClientId && apiKey) return { kind: "user-management", api: workosApiUrl(env), clientId: environmentClientId, apiKey };
  throw new SettingsError(
    clientId
      ? "WORKOS_APP_CLIENT_SECRET is not set: put the secret of the WorkOS OAuth application named by WORKOS_APP_CLIENT_ID."
      : "WORKOS_APP_CLIENT_ID and WORKOS_APP_CLIENT_SECRET are not set: create a WorkOS OAuth application with the redirect URI <this server>/callback (see README).",
  );
}

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function jwks(url: string) {
  let set = jwksByUrl.get(url);
  if (!set) jwksByUrl.set(url, (set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000 })));
  return set;
}

async function verify(token: unknown, jwksUrl: string, issuers: string[], audience?: string): Promise<JWTPayload> {
  if (typeof token !== "string") throw new UpstreamError("WorkOS returned no token.", false);
  try {
    const { payload } = await jwtVerify(token, jwks(jwksUrl), { issuer: issuers, audience, algorithms: ["RS256"], clockTolerance: 30 });
    return payload;
  } catch (error) {
    throw new UpstreamError(`A WorkOS token failed verification: ${(error as Error).message}`, false);
  }
}

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const fullName = (first: unknown, last: unknown) => [str(first), str(last)].filter(Boolean).join(" ") || null;

/** The organization, role and permissions a verified AuthKit access token carries. */
function accessFacts(claims: JWTPayload) {
  if (!claims.sub) throw new UpstreamError("The WorkOS access token names nobody.", false);
  const permissions = Array.isArray(claims.permissions) ? claims.permissions.filter((p): p is string => typeof p === "string") : [];
  return { id: claims.sub, organization: str(claims.org_id), role: str(claims.role), permissions };
}

async function fromApplicationTokens(m: Extract<Mode, { kind: "application" }>, body: Record<string, unknown>): Promise<UpstreamPerson> {
  const jwksUrl = `${m.authkit}/oauth2/jwks`;
  const claims = await verify(body.access_token, jwksUrl, [m.authkit]);
  if (claims.client_id !== undefined && claims.client_id !== m.clientId) {
    throw new UpstreamError("The WorkOS access token was issued to another application.", false);
  }
  const facts = accessFacts(claims);
  let email: string | null = null;
  let emailVerified = false;
  let name: string | null = null;
  if (typeof body.id_token === "string") {
    const id = await verify(body.id_token, jwksUrl, [m.authkit], m.clientId);
    if (id.sub !== facts.id) throw new UpstreamError("The WorkOS ID token names another person.", false);
    email = str(id.email);
    emailVerified = id.email_verified === true;
    name = str(id.name) ?? fullName(id.given_name, id.family_name);
  }
  if (email === null) {
    const response = await fetch(`${m.authkit}/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${body.access_token as string}` },
      signal: AbortSignal.timeout(5_000),
    }).catch(() => null);
    const info = response?.ok ? ((await response.json()) as Record<string, unknown>) : {};
    if (info.sub === facts.id) {
      email = str(info.email);
      emailVerified = info.email_verified === true;
      name = str(info.name) ?? fullName(info.given_name, info.family_name);
    }
  }
  return { ...facts, email, emailVerified: email !== null && emailVerified, name, refreshToken: str(body.refresh_token) };
}

async function fromUserManagement(m: Extract<Mode, { kind: "user-management" }>, body: Record<string, unknown>): Promise<UpstreamPerson> {
  const claims = await verify(body.access_token, `${m.api}/sso/jwks/${encodeURIComponent(m.clientId)}`, [`${m.api}/user_management/${m.clientId}`, m.api]);
  const facts = accessFacts(claims);
  const user = (body.user ?? {}) as Record<string, unknown>;
  if (user.id !== facts.id) throw new UpstreamError("WorkOS answered for another person than its token names.", false);
  return {
    ...facts,
    organization: facts.organization ?? str(body.organization_id),
    email: str(user.email),
    emailVerified: str(user.email) !== null && user.email_verified === true,
    name: fullName(user.first_name, user.last_name),
    refreshToken: null, // the user-management path keeps nothing upstream: a grant keeps what sign-in gave it
  };
}

export const upstream: Upstream = {
  name: "WorkOS AuthKit",
  permissionSource: "role",
  // AuthKit's client-credentials tokens (M2M applications, `create-mcp-auth agents add`), checked as direct mode checks tokens.
  machineTokens: {
    async verify(env, token, resource) {
      // The user-management sign-in (WORKOS_CLIENT_ID and WORKOS_API_KEY) may leave AUTHKIT_DOMAIN unset: then no issuer to trust.
      if (!env.AUTHKIT_DOMAIN?.trim()) throw new MachineTokenRefused("This server accepts no AuthKit client-credentials tokens: AUTHKIT_DOMAIN is not set.");
      const issuer = authkitUrl(env);
      let claims: JWTPayload;
      try {
        claims = await verifyAccessToken(token, { issuer, audience: resource, keys: `${issuer}/oauth2/jwks` });
      } catch (error) {
        if (!isTokenProblem(error)) throw error;
        throw new MachineTokenRefused((error as { code?: string }).code === "ERR_JWT_EXPIRED" ? "The token has expired." : "The token is not valid for this server.");
      }
      const service = authkitService(claims);
      // A person's AuthKit token would skip this server's consent: people sign in here instead.
      if (!service) throw new MachineTokenRefused("A person's AuthKit token is not accepted here: sign in through this server.");
      return { service: { ...service, expires_at: new Date(claims.exp! * 1000).toISOString() } };
    },
  },
  settingNames: ["AUTHKIT_DOMAIN", "WORKOS_APP_CLIENT_ID", "WORKOS_APP_CLIENT_SECRET", "WORKOS_CLIENT_ID"],
  settingProblems: (env) => settingProblems(() => mode(env), () => workosApiUrl(env)),

  authorizationUrl(env, { redirectUri, state, codeChallenge }) {
    const m = mode(env);
    const url = m.kind === "application" ? new URL(`${m.authkit}/oauth2/authorize`) : new URL(`${m.api}/user_management/authorize`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: m.clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
      ...(m.kind === "application" ? { scope: SCOPE } : { provider: "authkit" }),
    }).toString();
    return url.toString();
  },

  async signIn(env, { code, codeVerifier, redirectUri }) {
    const m = mode(env);
    if (m.kind === "application") {
      const body = await tokenRequest(`${m.authkit}/oauth2/token`, m, {
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      });
      return fromApplicationTokens(m, body);
    }
    const response = await fetch(`${m.api}/user_management/authenticate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code", client_id: m.clientId, client_secret: m.apiKey, code, code_verifier: codeVerifier }),
      signal: AbortSignal.timeout(10_000),
    }).catch((error: Error) => {
      throw new UpstreamError(`WorkOS could not be reached: ${error.message}`, false);
    });
    if (!response.ok) throw new UpstreamError(`WorkOS refused the sign-in (HTTP ${response.status}).`, false);
    return fromUserManagement(m, (await response.json()) as Record<string, unknown>);
  },

  async refresh(env, refreshToken) {
    const m = mode(env);
    if (m.kind !== "application") throw new UpstreamError("Nothing to refresh.", false);
    const body = await tokenRequest(`${m.authkit}/oauth2/token`, m, { grant_type: "refresh_token", refresh_token: refreshToken });
    return fromApplicationTokens(m, body);
  },
};
