import { ADMIN_PERMISSIONS } from "./admin-permissions.js";
import { tokenRequest, type Upstream, UpstreamError, type UpstreamPerson } from "./proxy/upstream.js";
import { secureUrl, SettingsError, type Env } from "./settings.js";

/**
 * GitHub as proxy mode's sign-in provider, through your GitHub OAuth app (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET):
 * github.com/login/oauth/authorize and /access_token with PKCE, then the REST API says who signed in. GitHub's token
 * stays in the grant, server-side and encrypted; each refresh of this server's tokens asks GitHub again, so a person who
 * revoked the app (or was removed from GITHUB_ADMINS) loses the grant (or the permissions) within the access token's life.
 */

const SCOPE = "read:user user:email";

function originSetting(env: Env, name: "GITHUB_URL" | "GITHUB_API_URL", fallback: string): string {
  const value = env[name]?.trim() || fallback;
  secureUrl(value, name);
  return value.replace(/\/+$/, "");
}

function credentials(env: Env) {
  const clientId = env.GITHUB_CLIENT_ID?.trim();
  const clientSecret = env.GITHUB_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw new SettingsError("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are not set: create a GitHub OAuth app with the callback URL <this server>/callback (see README).");
  }
  return { clientId, clientSecret };
}

const admins = (env: Env) => new Set((env.GITHUB_ADMINS ?? "").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean));

/** A GitHub REST call with the person's token; 401 means GitHub no longer accepts the sign-in. */
async function api<T>(env: Env, path: string, token: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${originSetting(env, "GITHUB_API_URL", "https://api.github.com")}${path}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "create-mcp-auth-server", // GitHub refuses requests without one
      },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new UpstreamError(`GitHub could not be reached: ${(error as Error).message}`, false);
  }
  if (response.status === 401) throw new UpstreamError("GitHub no longer accepts this sign-in.", true);
  if (!response.ok) throw new UpstreamError(`GitHub answered ${response.status} for ${path}.`, false);
  return (await response.json()) as T;
}

/** Who a GitHub token belongs to: the account (by its numeric id, which never changes), a verified email, the name. */
async function personOf(env: Env, token: string): Promise<UpstreamPerson> {
  const user = await api<{ id?: unknown; login?: unknown; name?: unknown; email?: unknown }>(env, "/user", token);
  if (typeof user.id !== "number" || typeof user.login !== "string") throw new UpstreamError("GitHub answered without an account.", false);
  let email = typeof user.email === "string" && user.email ? user.email : null;
  if (!email) {
    // The profile shows an email only when it is public; the primary verified one needs the user:email scope.
    const emails = await api<{ email: string; primary: boolean; verified: boolean }[]>(env, "/user/emails", token).catch(() => []);
    email = emails.find((e) => e.primary && e.verified)?.email ?? null;
  }
  const admin = admins(env).has(user.login.toLowerCase());
  return {
    id: String(user.id),
    email,
    name: typeof user.name === "string" && user.name ? user.name : user.login,
    organization: null,
    role: admin ? "admin" : null,
    permissions: admin ? [...ADMIN_PERMISSIONS] : [],
    refreshToken: token, // GitHub's own token: kept encrypted in the grant to ask GitHub again at each refresh
  };
}

export const upstream: Upstream = {
  name: "GitHub",

  authorizationUrl(env, { redirectUri, state, codeChallenge }) {
    const url = new URL(`${originSetting(env, "GITHUB_URL", "https://github.com")}/login/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: credentials(env).clientId,
      redirect_uri: redirectUri,
      scope: SCOPE,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
      allow_signup: "false",
    }).toString();
    return url.toString();
  },

  async signIn(env, { code, codeVerifier, redirectUri }) {
    const body = await tokenRequest(`${originSetting(env, "GITHUB_URL", "https://github.com")}/login/oauth/access_token`, credentials(env), {
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
    });
    // GitHub answers 200 with an `error` field when it refuses a code.
    if (typeof body.error === "string") throw new UpstreamError(`GitHub refused the sign-in (${body.error}).`, body.error === "bad_verification_code");
    if (typeof body.access_token !== "string") throw new UpstreamError("GitHub returned no token.", false);
    return personOf(env, body.access_token);
  },

  refresh: (env, token) => personOf(env, token),
};
