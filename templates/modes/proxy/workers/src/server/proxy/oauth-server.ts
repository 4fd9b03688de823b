import { ExternalTokenError, getOAuthApi, type OAuthHelpers, OAuthProvider, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import type { Hono } from "hono";
import pkg from "../../../package.json" with { type: "json" };
import type { AppEnv } from "../app.js";
import { FOREIGN_HOST, rejectOrigin } from "../origin.js";
import { settingsOf, SettingsError, type Env } from "../settings.js";
import { titleFromPackageName } from "../server-name.js";
import { settingsPage } from "./failures.js";
import { refreshGrant } from "./refresh.js";
import { isPermissionScope, MCP_SCOPE, SCOPES_SUPPORTED } from "./scopes.js";
import { activeUpstream } from "./dev-upstream.js";
import { MachineTokenRefused, type ServiceProps } from "./upstream-client.js";
import { signInState } from "../sign-in-state.js";
import { pendingRevocation, recordTokenRevocation } from "./token-revocation.js";

const ACCESS_TOKEN_TTL_S = 60 * 60;
const REFRESH_TOKEN_TTL_S = 30 * 24 * 60 * 60;

/** ACCESS_TOKEN_TTL (seconds): how long this server's access tokens live before agents refresh them. */
function accessTokenTtl(env: Env): number {
  const value = env.ACCESS_TOKEN_TTL?.trim();
  if (!value) return ACCESS_TOKEN_TTL_S;
  const seconds = Number(value);
  // KV, where tokens live, cannot expire anything sooner than 60 seconds.
  if (!Number.isInteger(seconds) || seconds < 60) throw new SettingsError(`ACCESS_TOKEN_TTL: "${value}" is not a whole number of seconds, at least 60.`);
  return seconds;
}

/** The provider for one origin, and the options it was made with (its helpers outside a request it handles need them). */
interface OriginProvider {
  provider: OAuthProvider<Env>;
  options: OAuthProviderOptions<Env>;
}

/** One provider per origin this Worker answers on (the resource and issuer are fixed at construction). */
const providers = new Map<string, OriginProvider>();

function providerFor(origin: string, app: Hono<AppEnv>, env: Env): OriginProvider {
  const known = providers.get(origin);
  if (known) return known;
  const handler = app as unknown as ExportedHandler<Env> & { fetch: NonNullable<ExportedHandler<Env>["fetch"]> };
  const options: OAuthProviderOptions<Env> = {
    apiRoute: `${origin}/mcp`,
    apiHandler: handler,
    defaultHandler: handler,
    authorizeEndpoint: `${origin}/authorize`,
    tokenEndpoint: `${origin}/token`,
    clientRegistrationEndpoint: `${origin}/register`,
    scopesSupported: [...SCOPES_SUPPORTED],
    requiredScopes: [MCP_SCOPE],
    resourceMetadata: {
      resource: `${origin}/mcp`,
      authorization_servers: [origin],
      resource_name: pkg.name,
    },
    accessTokenTTL: accessTokenTtl(env),
    refreshTokenTTL: REFRESH_TOKEN_TTL_S,
    // CIMD: an https client_id URL names the client's metadata document. global_fetch_strictly_public keeps a deployed
    // Worker from fetching one on a private or loopback address; `wrangler dev` does not enforce that flag, so there
    // (this machine only) a document on 127.0.0.1 is fetched, which is how local tests serve one.
    clientIdMetadataDocumentEnabled: true,
    // On each refresh, ask the sign-in provider again, so role and permission changes (and revoked people) arrive.
    tokenExchangeCallback: (options) => refreshGrant(options),
    // Tokens not of this server's own format: the provider's client-credentials tokens, where it has them.
    ...(activeUpstream.machineTokens ? { resolveExternalToken: ({ token, env }) => machineToken(token, `${origin}/mcp`, env) } : {}),
  };
  if (providers.size > 16) providers.clear(); // a Worker answers on few origins; never grow without bound
  const made = { provider: new OAuthProvider<Env>(options), options };
  providers.set(origin, made);
  return made;
}

/**
 * An agent without a person calling /mcp with the provider's client-credentials token for this server: verified like
 * direct mode's tokens. Not while the provider is not set up (the development sign-in); a refused token is a 401 with
 * the challenge; keys that cannot be fetched are a 503 (the token may be fine), as in direct mode.
 */
async function machineToken(token: string, resource: string, env: Env): Promise<{ props: ServiceProps; audience: string } | null> {
  if (!activeUpstream.machineTokens || signInState(activeUpstream, env, false).kind !== "provider") return null;
  try {
    return { props: await activeUpstream.machineTokens.verify(env, token, resource), audience: resource };
  } catch (error) {
    if (error instanceof MachineTokenRefused) throw new ExternalTokenError("invalid_token", { description: error.message, statusCode: 401 });
    console.error(`Checking a machine token failed: ${(error as Error).message}`);
    throw new ExternalTokenError("temporarily_unavailable", {
      description: "The sign-in provider's signing keys could not be fetched. Try again shortly.",
      statusCode: 503,
      headers: { "retry-after": "30" },
    });
  }
}

/** The target's rule for when a request may name this server's origin (src/worker-app.ts). */
export type RequestOrigin = (request: Request, env: Env) => string | null;

function jsonError(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status });
}

const METADATA_PATH = "/.well-known/oauth-protected-resource";

/**
 * The provider publishes `requiredScopes` (`mcp`, also the 401 challenge's scope) as the protected resource's
 * `scopes_supported`; this server's resource also takes the tools' permission scopes (step-up asks for them), so its
 * metadata lists those too.
 */
async function withToolScopes(response: Response): Promise<Response> {
  if (!response.ok || !response.headers.get("content-type")?.startsWith("application/json")) return response;
  const metadata = (await response.json()) as Record<string, unknown>;
  const scopes_supported = [MCP_SCOPE, ...SCOPES_SUPPORTED.filter(isPermissionScope)];
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify({ ...metadata, scopes_supported }), { status: response.status, headers });
}

/** The routes a person's browser opens (the rest answer programs, in JSON). */
const PAGE_PATHS = ["/authorize", "/callback", "/account", "/account/revoke", "/sign-in", "/sign-out"];

/** The Worker's fetch: Origin check on /mcp, then the OAuth provider (which hands the app what it does not serve). */
export async function serveProxy(
  app: Hono<AppEnv>,
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  requestOrigin: RequestOrigin,
): Promise<Response> {
  let origin: string | null;
  try {
    origin = settingsOf(env).publicUrl ?? requestOrigin(request, env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const path = new URL(request.url).pathname;
    if (PAGE_PATHS.includes(path) || path.startsWith("/confirm/")) return settingsPage(error, { name: titleFromPackageName(pkg.name), logoUrl: null });
    return jsonError(500, "bad_setting", error.message);
  }
  // E.g. a DNS-rebinding page under `wrangler dev`: its own host name, resolved to this machine.
  if (origin === null) return Response.json(FOREIGN_HOST, { status: 403 });
  const { pathname } = new URL(request.url);
  if (pathname === "/mcp" || pathname.startsWith("/mcp/")) {
    // DNS-rebinding protection before the token check, so hostile pages get 403 whether or not they hold a token.
    const reason = rejectOrigin(request.headers.get("origin"), origin, settingsOf(env));
    if (reason) return jsonError(403, "forbidden_origin", reason);
    // Only POST carries MCP messages (stateless server): other methods get the app's 405 without a token check.
    if (request.method !== "POST" && request.method !== "OPTIONS") return app.fetch(request, env, ctx);
  }
  // The provider keeps its helpers on env (env.OAUTH_PROVIDER), which outlives the request: a copy per request keeps
  // each origin's helpers to its own requests (a server reached as 127.0.0.1 and then as localhost, or on two domains).
  const requestEnv = { ...env };
  const { provider, options } = providerFor(origin, app, env);
  const helpers = (): OAuthHelpers => getOAuthApi(options, requestEnv);
  const revoking = await pendingRevocation(request, helpers);
  const response = await provider.fetch(request, requestEnv, ctx);
  if (revoking && response.ok) await recordTokenRevocation(revoking, helpers(), requestEnv);
  const isMetadata = request.method === "GET" && (pathname === METADATA_PATH || pathname.startsWith(`${METADATA_PATH}/`));
  return isMetadata ? withToolScopes(response) : response;
}
