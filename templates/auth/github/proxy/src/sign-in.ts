import { tokenRequest, type Upstream, UpstreamError, type UpstreamPerson } from "./server/proxy/upstream-client.js";
import { secureUrl, SettingsError, type Env } from "./server/settings.js";
import { permissions } from "./tools/index.js";
import { settingProblems } from "./server/sign-in-state.js";

/**
 * GitHub as proxy mode's sign-in provider, through your GitHub OAuth app (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET):
 * github.com/login/oauth/authorize and /access_token with PKCE, then the REST API says who signed in. GitHub's token
 * stays in the grant, server-side and encrypted; each refresh of this server's tokens asks GitHub again, so a person who
 * revoked the app (or was removed from GITHUB_ADMINS) loses the grant (or the permissions) within the access token's life.
 * Accounts are known by their numeric id: a login can be renamed, and then taken by someone else.
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

/** GITHUB_ADMINS: numeric account ids (never logins, which can change hands). */
export function githubAdmins(env: Env): Set<string> {
  const entries = (env.GITHUB_ADMINS ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  const login = entries.find((entry) => !/^\d+$/.test(entry));
  if (login !== undefined) {
    throw new SettingsError(
      `GITHUB_ADMINS: "${login}" is not a numeric GitHub account id. Logins can be renamed and taken by someone else, so ` +
        `this setting takes ids: find one at https://api.github.com/users/${encodeURIComponent(login)} ("id").`,
    );
  }
  return new Set(entries);
}

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
  const admins = githubAdmins(env); // a bad setting fails before anything is granted
  const user = await api<{ id?: unknown; login?: unknown; name?: unknown }>(env, "/user", token);
  if (typeof user.id !== "number" || typeof user.login !== "string") throw new UpstreamError("GitHub answered without an account.", false);
  // The primary address and whether GitHub verified it (the user:email scope lists them); only a verified one counts.
  const emails = await api<{ email: string; primary: boolean; verified: boolean }[]>(env, "/user/emails", token).catch(() => []);
  const primary = emails.find((e) => e.primary);
  const id = String(user.id);
  const admin = admins.has(id);
  return {
    id,
    email: primary?.email ?? null,
    emailVerified: primary?.verified === true,
    name: typeof user.name === "string" && user.name ? user.name : user.login,
    organization: null,
    role: admin ? "admin" : null,
    permissions: admin ? [...permissions] : [],
    refreshToken: token, // GitHub's own token: kept encrypted in the grant to ask GitHub again at each refresh
  };
}

export const upstream: Upstream = {
  name: "GitHub",
  permissionSource: "admins",
  // GitHub has no client-credentials grant: every caller is a person who signed in.
  machineTokens: null,
  settingNames: ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
  settingProblems: (env) =>
    settingProblems(
      () => credentials(env),
      () => originSetting(env, "GITHUB_URL", "https://github.com"),
      () => originSetting(env, "GITHUB_API_URL", "https://api.github.com"),
      () => githubAdmins(env),
    ),

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
