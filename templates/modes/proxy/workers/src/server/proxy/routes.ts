import {
  type AuthRequest,
  AuthorizationError,
  authorizationErrorRedirect,
  CimdFetchError,
} from "@cloudflare/workers-oauth-provider";
import type { Context, Hono } from "hono";
import pkg from "../../../package.json" with { type: "json" };
import type { AppEnv } from "../app.js";
import { clearSessionCookie, cookieKey, isApproved, rememberApproval, sessionCookie, sessionUser } from "./approvals.js";
import { grantPropsFor } from "./grant-props.js";
import { consentPage, errorPage } from "./pages.js";
import { grantedScopes } from "./scopes.js";
import type { GrantMetadata, ProxyBindings } from "./proxy-types.js";
import { pkcePair, type Upstream, UpstreamError } from "./upstream-client.js";

/** What travels (encrypted, server-side) from the redirect to the provider back to /callback. */
interface UpstreamData {
  codeVerifier: string;
  /** Set when consent was skipped because this person approved the agent before: the sign-in must be them. */
  rememberedFor: string | null;
}

const bindings = (c: Context<AppEnv>) => c.env as unknown as ProxyBindings;

function redirect(location: string, headers = new Headers()): Response {
  headers.set("location", location);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 302, headers });
}

/** Errors the OAuth helpers throw: redirect to the client only when the library validated where to. */
function authorizationFailure(error: unknown): Response {
  if (error instanceof AuthorizationError) {
    if (error.redirectTo) return redirect(error.redirectTo);
    return errorPage(400, `${error.description} Start connecting again from your app.`);
  }
  if (error instanceof CimdFetchError) return errorPage(400, "This app's metadata document could not be fetched, so it cannot be verified.");
  throw error;
}

/**
 * Sends the browser to the upstream provider, for an authorization the person has approved. `state` is random,
 * single-use, bound to this browser by a `__Host-` cookie and kept server-side with the PKCE verifier.
 */
async function startUpstream(c: Context<AppEnv>, upstream: Upstream, request: AuthRequest, data: Omit<UpstreamData, "codeVerifier">, headers?: Headers) {
  const oauth = bindings(c).OAUTH_PROVIDER;
  const { verifier, challenge } = await pkcePair();
  const upstreamData: UpstreamData = { codeVerifier: verifier, ...data };
  const transaction = await oauth.beginUpstream(request, { data: upstreamData, headers });
  const location = upstream.authorizationUrl(c.env, { redirectUri: `${c.var.origin}/callback`, state: transaction.state, codeChallenge: challenge });
  return redirect(location, transaction.headers);
}

/** /authorize (consent) and /callback (back from the sign-in provider), for any upstream provider. */
export function proxyRoutes(app: Hono<AppEnv>, upstream: Upstream): void {
  app.get("/authorize", async (c) => {
    const oauth = bindings(c).OAUTH_PROVIDER;
    const secret = cookieKey(c.env);
    try {
      const request = await oauth.parseAuthRequest(c.req.raw);
      const details = await oauth.describeConsent(request); // first: a failed client lookup leaves nothing in KV
      const person = await sessionUser(secret, c.req.raw);
      if (person && (await isApproved(bindings(c).OAUTH_KV, person, request))) {
        return startUpstream(c, upstream, request, { rememberedFor: person });
      }
      const consent = await oauth.beginConsent(request);
      consent.headers.set("content-type", "text/html; charset=utf-8");
      consent.headers.append("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'");
      return new Response(consentPage(details, consent.handle, pkg.name, upstream.name), { headers: consent.headers });
    } catch (error) {
      return authorizationFailure(error);
    }
  });

  app.post("/authorize", async (c) => {
    const oauth = bindings(c).OAUTH_PROVIDER;
    try {
      const form = await c.req.formData();
      const handle = String(form.get("handle") ?? "");
      if (form.get("decision") !== "approve") {
        const denied = await oauth.denyConsent(c.req.raw, handle);
        return redirect(denied.redirectTo, denied.headers);
      }
      // The scopes are the ones the client asked for (kept server-side), never taken from the form.
      const approved = await oauth.approveConsent(c.req.raw, handle);
      return startUpstream(c, upstream, approved.request, { rememberedFor: null }, approved.headers);
    } catch (error) {
      return authorizationFailure(error);
    }
  });

  app.get("/callback", async (c) => {
    const { OAUTH_PROVIDER: oauth, OAUTH_KV: kv } = bindings(c);
    const secret = cookieKey(c.env);
    let resumed;
    try {
      resumed = await oauth.finishUpstream<UpstreamData>(c.req.raw); // state: exact, single use, this browser only
    } catch (error) {
      return authorizationFailure(error);
    }
    const { request, data, headers } = resumed;
    const params = new URL(c.req.url).searchParams;
    const code = params.get("code");
    if (params.get("error") || !code) {
      return redirect(authorizationErrorRedirect(request, "access_denied", `Sign-in with ${upstream.name} did not complete.`), headers);
    }
    let person;
    try {
      person = await upstream.signIn(c.env, { code, codeVerifier: data.codeVerifier, redirectUri: `${c.var.origin}/callback` });
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      console.error(`Sign-in with ${upstream.name} failed: ${error.message}`);
      return redirect(authorizationErrorRedirect(request, "access_denied", `Sign-in with ${upstream.name} failed.`), headers);
    }
    if (data.rememberedFor !== null && data.rememberedFor !== person.id) {
      // Consent was skipped for someone else's approval: do not grant this person anything they did not see.
      headers.append("set-cookie", clearSessionCookie);
      return errorPage(403, "You signed in as a different person than the one who approved this app here before. Start connecting again.", headers);
    }
    const client = await oauth.lookupClient(request.clientId);
    const metadata: GrantMetadata = { client_name: client?.clientName ?? request.clientId, created_at: new Date().toISOString() };
    const { redirectTo } = await oauth.completeAuthorization({
      request,
      userId: person.id,
      metadata,
      // Never what the client asked for as such: only scopes this server defines, permissions only if the person holds them.
      scope: grantedScopes(request.scope, person.permissions),
      props: grantPropsFor(person, request.clientId),
    });
    await rememberApproval(kv, person.id, request);
    headers.append("set-cookie", await sessionCookie(secret, person.id));
    return redirect(redirectTo, headers);
  });
}
