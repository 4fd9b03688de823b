import type { Hono } from "hono";
import type { AppEnv } from "../app.js";
import { isLoopbackHost } from "../origin.js";
import type { Env } from "../settings.js";
import { signInState } from "../sign-in-state.js";
import { underWranglerDev } from "../dev-server.js";
import { AUTHORIZE_PATH, devAuthorizeRoutes } from "../dev-sign-in/authorize-routes.js";
import { randomToken } from "../base64url.js";
import { redeemCode } from "../dev-sign-in/codes.js";
import type { TestPerson } from "../dev-sign-in/people.js";
import { upstream as provider } from "../../sign-in.js";
import { type Upstream, UpstreamError, type UpstreamPerson } from "./upstream-client.js";

/** The client id this server uses at its own development sign-in (it is the only client there). */
const CLIENT_ID = "this-server";

/** Marks a development sign-in's refresh token, so it is known as one even after a restart forgot it. */
const REFRESH_PREFIX = "development:";

/** Refresh tokens of development sign-ins, in this isolate only: after a restart people sign in again. */
const signedIn = new Map<string, TestPerson>();

const person = (test: TestPerson, refreshToken: string): UpstreamPerson => ({
  id: test.id,
  email: test.email,
  emailVerified: true,
  name: test.name,
  organization: test.organization,
  role: test.role,
  permissions: test.permissions,
  refreshToken,
  development: true,
});

/** Under `wrangler dev`, for a loopback origin, while none of the provider's settings is set. */
function developmentFor(env: Env, origin: string | null): boolean {
  const local = underWranglerDev(env) && origin !== null && isLoopbackHost(new URL(origin).hostname);
  return signInState(provider, env, local).kind === "development";
}

/** The development sign-in as an upstream provider: the same contract as the real one, with test people. */
const development: Upstream = {
  name: "the development sign-in",
  permissionSource: "role",
  machineTokens: null,
  settingNames: [],
  settingProblems: () => [],
  authorizationUrl(_env, { redirectUri, state, codeChallenge }) {
    const url = new URL(AUTHORIZE_PATH, redirectUri);
    url.search = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: redirectUri, state, code_challenge: codeChallenge, code_challenge_method: "S256" }).toString();
    return url.href;
  },
  async signIn(_env, { code, codeVerifier, redirectUri }) {
    const pending = await redeemCode(code, { clientId: CLIENT_ID, redirectUri, codeVerifier });
    if (!pending) throw new UpstreamError("The development sign-in's code is not valid (expired, used, or from before a restart).", false);
    const refreshToken = `${REFRESH_PREFIX}${randomToken()}`;
    signedIn.set(refreshToken, pending.person);
    return person(pending.person, refreshToken);
  },
  async refresh(_env, refreshToken) {
    const test = signedIn.get(refreshToken);
    if (!test) throw new UpstreamError("The development sign-in no longer knows this person (the server restarted).", true);
    return person(test, refreshToken);
  },
};

/**
 * The provider people sign in with: the real one, or the development sign-in while it is not set up and this is
 * `wrangler dev` on a loopback origin. A refresh of a development sign-in never reaches the real provider.
 */
export const activeUpstream: Upstream = {
  ...provider,
  authorizationUrl: (env, request) => {
    if (developmentFor(env, new URL(request.redirectUri).origin)) return development.authorizationUrl(env, request);
    if (underWranglerDev(env)) hintRedirectUri(request.redirectUri);
    return provider.authorizationUrl(env, request);
  },
  signIn: (env, callback) => (developmentFor(env, new URL(callback.redirectUri).origin) ? development : provider).signIn(env, callback),
  refresh: async (env, refreshToken) => {
    if (refreshToken.startsWith(REFRESH_PREFIX)) {
      if (!underWranglerDev(env) || signInState(provider, env, true).kind !== "development") {
        throw new UpstreamError("A development sign-in ends once the real sign-in provider is set up.", true);
      }
      return development.refresh!(env, refreshToken);
    }
    if (!provider.refresh) throw new UpstreamError("Nothing to refresh.", false);
    return provider.refresh(env, refreshToken);
  },
};

/** The callback `create-mcp-auth provision` registers for local development. */
const PROVISIONED_CALLBACK = "http://localhost:8787/callback";
const hinted = new Set<string>();

/** Under `wrangler dev` on another port or host name than the provisioned one, says which redirect URI to register. */
function hintRedirectUri(redirectUri: string): void {
  if (redirectUri === PROVISIONED_CALLBACK || hinted.has(redirectUri)) return;
  hinted.add(redirectUri);
  console.warn(
    `Signing in through ${redirectUri}: ${provider.name} accepts it only if it is a registered redirect URI of this server's ` +
      `sign-in application (\`npx create-mcp-auth provision\` registers ${PROVISIONED_CALLBACK}). Register it there, or open ${new URL(PROVISIONED_CALLBACK).origin} instead.`,
  );
}

/** The development sign-in's page, for this server's own /callback only. */
export function developmentRoutes(app: Hono<AppEnv>): void {
  devAuthorizeRoutes(app, {
    providerName: provider.name,
    requester(c, params) {
      const redirectUri = `${c.var.origin}/callback`;
      if (params.get("client_id") !== CLIENT_ID || params.get("redirect_uri") !== redirectUri) {
        return { problem: "This sign-in did not start at this server." };
      }
      return { clientId: CLIENT_ID, clientName: null, redirectUri };
    },
  });
}
