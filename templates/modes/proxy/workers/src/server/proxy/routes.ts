import { type AuthRequest, authorizationErrorRedirect } from "@cloudflare/workers-oauth-provider";
import type { Context, Hono } from "hono";
import type { AppEnv } from "../app.js";
import { packSetting } from "../pack-settings.js";
import { personSubject } from "../subject.js";
import { type AuditKind, recordAudit } from "../policy/audit-trail.js";
import { formTarget, pageHeaders } from "../html.js";
import { serverBrand } from "../server-name.js";
import { cookieKey, isApproved, rememberApproval, sessionCookie, sessionUser } from "./approvals.js";
import { consentPage } from "./consent-page.js";
import { EXPIRED_SIGN_IN, failureResponse } from "./failures.js";
import { errorPage } from "./error-page.js";
import { grantPropsFor } from "./grant-props.js";
import { holdSignIn, takeSignIn } from "./pending-sign-in.js";
import { finishPersonSignIn, isPersonSignIn } from "./person-session.js";
import { consentedScopes, definedScopes, grantedScopes, isPermissionScope } from "./scopes.js";
import { signInRefusal } from "./sign-in-refusal.js";
import { toolLines } from "./tool-list.js";
import type { GrantMetadata, ProxyBindings } from "./proxy-types.js";
import { pkcePair, type Upstream, type UpstreamPerson, UpstreamError } from "./upstream-client.js";

/** What travels (encrypted, server-side) from the redirect to the provider back to /callback. */
interface UpstreamData {
  codeVerifier: string;
}

const bindings = (c: Context<AppEnv>) => c.env as unknown as ProxyBindings;
const brandOf = (c: Context<AppEnv>) => serverBrand(c.var.settings);

function redirect(location: string, headers = new Headers()): Response {
  headers.set("location", location);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 302, headers });
}

/** The audit trail's record of a consent decision, as the person's: who, which agent (id and name), what. */
async function recordConsent(c: Context<AppEnv>, kind: AuditKind, person: UpstreamPerson, request: AuthRequest, clientName: string, data: Record<string, unknown>) {
  const record = { user_id: person.id, identity_kind: "person", client_id: request.clientId, client_name: clientName, ...data };
  await recordAudit(c.var.platform.store(c), personSubject(person.id), kind, record, packSetting(c));
}

const clientNameOf = async (c: Context<AppEnv>, clientId: string) => (await bindings(c).OAUTH_PROVIDER.lookupClient(clientId))?.clientName ?? clientId;

/**
 * Issues the grant with `scope` (never what the client asked for as such: `grantedScopes`, or `consentedScopes` from
 * the consent page), remembers the approval for this person and browser, returns to the client.
 */
async function complete(c: Context<AppEnv>, request: AuthRequest, person: UpstreamPerson, scope: string[], headers: Headers, remembered = false): Promise<Response> {
  const { OAUTH_PROVIDER: oauth, OAUTH_KV: kv } = bindings(c);
  const metadata: GrantMetadata = { client_name: await clientNameOf(c, request.clientId), created_at: new Date().toISOString() };
  const { redirectTo } = await oauth.completeAuthorization({
    request,
    userId: person.id,
    metadata,
    scope,
    props: grantPropsFor(person, request.clientId, metadata.client_name),
  });
  await rememberApproval(kv, person.id, request, scope);
  await recordConsent(c, "authorization", person, request, metadata.client_name, { permissions: scope.filter(isPermissionScope), scopes: scope, remembered });
  headers.append("set-cookie", await sessionCookie(cookieKey(c.env), person.id));
  return redirect(redirectTo, headers);
}

/**
 * /authorize sends the person to the upstream provider first; /callback, knowing who they are, completes an approval
 * they gave before or shows the consent page; the consent form posts back to /authorize. Sign-in happens before consent,
 * but nothing is granted before it: `state` and the consent handle are each random, single use and bound to the browser
 * by a `__Host-` cookie.
 */
export function proxyRoutes(app: Hono<AppEnv>, upstream: Upstream): void {
  app.get("/authorize", async (c) => {
    const oauth = bindings(c).OAUTH_PROVIDER;
    try {
      const request = await oauth.parseAuthRequest(c.req.raw);
      await oauth.describeConsent(request); // first: an unknown client or unfetchable CIMD document leaves nothing in KV
      const { verifier, challenge } = await pkcePair();
      const data: UpstreamData = { codeVerifier: verifier };
      const transaction = await oauth.beginUpstream(request, { data });
      const location = upstream.authorizationUrl(c.env, { redirectUri: `${c.var.origin}/callback`, state: transaction.state, codeChallenge: challenge });
      return redirect(location, transaction.headers);
    } catch (error) {
      return failureResponse(error, brandOf(c));
    }
  });

  app.get("/callback", async (c) => {
    // The one callback the provider knows also ends a person's sign-in to this server's own pages (/account).
    if (isPersonSignIn(c)) return finishPersonSignIn(c);
    const { OAUTH_PROVIDER: oauth, OAUTH_KV: kv } = bindings(c);
    try {
      const { request, data, headers } = await oauth.finishUpstream<UpstreamData>(c.req.raw); // state: exact, single use, this browser only
      const params = new URL(c.req.url).searchParams;
      const code = params.get("code");
      if (params.get("error") || !code) {
        return redirect(authorizationErrorRedirect(request, "access_denied", `Sign-in with ${upstream.name} did not complete.`), headers);
      }
      let person: UpstreamPerson;
      try {
        person = await upstream.signIn(c.env, { code, codeVerifier: data.codeVerifier, redirectUri: `${c.var.origin}/callback` });
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        console.error(`Sign-in with ${upstream.name} failed: ${error.message}`);
        return redirect(authorizationErrorRedirect(request, "access_denied", `Sign-in with ${upstream.name} failed.`), headers);
      }
      const signedInWith = person.development ? "the development sign-in" : upstream.name;
      const refusal = signInRefusal(person, request.clientId, c.var.settings, signedInWith);
      if (refusal) return errorPage(403, refusal, brandOf(c), headers);
      const signedInHere = (await sessionUser(cookieKey(c.env), c.req.raw)) === person.id;
      if (signedInHere && (await isApproved(kv, person.id, request, person.permissions))) {
        return complete(c, request, person, grantedScopes(request.scope, person.permissions), headers, true);
      }

      const details = await oauth.describeConsent(request);
      const consent = await oauth.beginConsent(request);
      await holdSignIn(kv, consent.handle, person);
      for (const cookie of headers.getSetCookie()) consent.headers.append("set-cookie", cookie);
      const page = consentPage({ details, handle: consent.handle, brand: brandOf(c), origin: c.var.origin, person, upstreamName: signedInWith, tools: toolLines() });
      return new Response(page, { headers: pageHeaders(consent.headers, [formTarget(request.redirectUri)]) });
    } catch (error) {
      return failureResponse(error, brandOf(c));
    }
  });

  app.post("/authorize", async (c) => {
    const { OAUTH_PROVIDER: oauth, OAUTH_KV: kv } = bindings(c);
    try {
      const form = await c.req.formData();
      const handle = String(form.get("handle") ?? "");
      if (form.get("decision") !== "approve") {
        const denied = await oauth.denyConsent(c.req.raw, handle);
        const person = await takeSignIn(kv, handle);
        if (person) {
          const asked = definedScopes(denied.request.scope);
          await recordConsent(c, "consent_denied", person, denied.request, await clientNameOf(c, denied.request.clientId), { asked });
        }
        return redirect(denied.redirectTo, denied.headers);
      }
      // What the client asked for (kept server-side) ∩ what the person holds ∩ the permissions they left ticked.
      const approved = await oauth.approveConsent(c.req.raw, handle);
      const person = await takeSignIn(kv, handle);
      if (!person) return errorPage(400, EXPIRED_SIGN_IN, brandOf(c), approved.headers);
      const ticked = form.getAll("permission").map(String);
      return complete(c, approved.request, person, consentedScopes(approved.request.scope, person.permissions, ticked), approved.headers);
    } catch (error) {
      return failureResponse(error, brandOf(c));
    }
  });
}
