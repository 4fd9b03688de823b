import type { Context, Hono } from "hono";
import type { AppEnv } from "../app.js";
import { fromBase64url, randomToken, s256, toBase64url } from "../base64url.js";
import { messagePage } from "../message-page.js";
import { serverBrand } from "../server-name.js";
import { cookieKey } from "./approvals.js";
import { activeUpstream } from "./dev-upstream.js";
import { errorPage, type PageMessage } from "./error-page.js";
import { failureResponse } from "./failures.js";
import type { ProxyBindings } from "./proxy-types.js";
import { signInRefusal } from "./sign-in-refusal.js";
import { pkcePair, type UpstreamPerson, UpstreamError } from "./upstream-client.js";

/**
 * A person signed in to this server's own pages (/account; later a confirmation page), apart from any agent: a sign-in
 * with the upstream provider through the same /callback the OAuth flow uses (providers allow one callback URL), told
 * apart by its `state`, which starts with `person.`. The state and PKCE verifier wait in OAUTH_KV for ten minutes, under
 * the state's SHA-256, bound to the browser by a `__Host-` cookie and used once. Signed in, the browser holds a signed
 * `__Host-` session cookie for an hour naming the person; forms on these pages carry a token derived from it.
 */

const SIGN_IN_TTL_S = 600;
const SESSION_TTL_S = 60 * 60;
const STATE_PREFIX = "person.";
const SIGN_IN_COOKIE = "__Host-mcp-person-sign-in";
export const PERSON_SESSION_COOKIE = "__Host-mcp-person";
/** Where a sign-in returns to when it was not told, or was told somewhere that is not a path on this server. */
const DEFAULT_RETURN = "/account";

/** The person a session cookie names. */
export interface SignedInPerson {
  id: string;
  name: string | null;
  email: string | null;
  /** The provider they signed in with, e.g. "GitHub", or "the development sign-in". */
  signedInWith: string;
  /** Signed in by the development sign-in: the session ends once the real provider is set up. */
  development?: true;
  /** This session's own random id: what its form tokens are derived from. */
  sid: string;
  exp: number;
}

/** What waits in KV between the redirect to the provider and /callback. */
interface PendingPersonSignIn {
  codeVerifier: string;
  returnTo: string;
  /** SHA-256 of the browser's sign-in cookie. */
  browser: string;
}

const encoder = new TextEncoder();
const kvOf = (c: Context<AppEnv>) => (c.env as unknown as ProxyBindings).OAUTH_KV;
const pendingKey = async (state: string) => `person-sign-in:${await s256(state)}`;
const cookieLine = (name: string, value: string, maxAgeS: number) => `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}`;

/** HMAC key for this module's signatures, derived from COOKIE_ENCRYPTION_KEY apart from the approval session's. */
async function signingKey(c: Context<AppEnv>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(`mcp-person-session:${cookieKey(c.env)}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

const sign = async (c: Context<AppEnv>, text: string) => toBase64url(new Uint8Array(await crypto.subtle.sign("HMAC", await signingKey(c), encoder.encode(text))));
/** A constant-time check of `mac` over `text` (Web Crypto's verify). */
async function verified(c: Context<AppEnv>, text: string, mac: string): Promise<boolean> {
  try {
    return await crypto.subtle.verify("HMAC", await signingKey(c), fromBase64url(mac), encoder.encode(text));
  } catch {
    return false; // not base64url
  }
}

function cookieValue(c: Context<AppEnv>, name: string): string | null {
  const part = (c.req.header("cookie") ?? "").split(/;\s*/).find((p) => p.startsWith(`${name}=`));
  return part ? part.slice(name.length + 1) : null;
}

/** `value` when it is a path on this server ("/account?x"), else the default: never another origin ("//evil", "https://…"). */
export function safeReturnTo(value: string | null | undefined, origin: string): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return DEFAULT_RETURN;
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? `${url.pathname}${url.search}` : DEFAULT_RETURN;
  } catch {
    return DEFAULT_RETURN;
  }
}

function redirect(location: string, status: 302 | 303, cookies: string[] = []): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status, headers });
}

/** The person this browser's session cookie names, when its signature and expiry hold (and its sign-in still counts). */
export async function signedInPerson(c: Context<AppEnv>): Promise<SignedInPerson | null> {
  const [payload, mac] = cookieValue(c, PERSON_SESSION_COOKIE)?.split(".") ?? [];
  if (!payload || !mac || !(await verified(c, `session:${payload}`, mac))) return null;
  try {
    const person = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as SignedInPerson;
    if (typeof person.id !== "string" || typeof person.sid !== "string" || !(person.exp > Date.now() / 1000)) return null;
    if (person.development && c.var.signIn.kind !== "development") return null;
    return person;
  } catch {
    return null;
  }
}

/** Sends the browser to the provider to sign in, coming back to `returnTo` (a path on this server; anything else: /account). */
export async function startPersonSignIn(c: Context<AppEnv>, returnTo: string): Promise<Response> {
  const state = `${STATE_PREFIX}${randomToken()}`;
  const browser = randomToken();
  const { verifier, challenge } = await pkcePair();
  const pending: PendingPersonSignIn = { codeVerifier: verifier, returnTo: safeReturnTo(returnTo, c.var.origin), browser: await s256(browser) };
  await kvOf(c).put(await pendingKey(state), JSON.stringify(pending), { expirationTtl: SIGN_IN_TTL_S });
  const location = activeUpstream.authorizationUrl(c.env, { redirectUri: `${c.var.origin}/callback`, state, codeChallenge: challenge });
  return redirect(location, 302, [cookieLine(SIGN_IN_COOKIE, browser, SIGN_IN_TTL_S)]);
}

const SIGN_IN_AGAIN = "Open this page again to sign in.";
const EXPIRED: PageMessage = { title: "This sign-in has expired", problem: "It was started too long ago, in another browser, or it was already used.", advice: SIGN_IN_AGAIN };

/** Whether this /callback belongs to a person's sign-in to these pages (rather than to an agent's authorization). */
export const isPersonSignIn = (c: Context<AppEnv>) => c.req.query("state")?.startsWith(STATE_PREFIX) === true;

/**
 * /callback for a person's sign-in (`isPersonSignIn`): checks the state (exact, this browser's, once), signs the person
 * in upstream, applies the allowlist as consent does, sets the session cookie and returns to where the sign-in started.
 */
export async function finishPersonSignIn(c: Context<AppEnv>): Promise<Response> {
  const brand = serverBrand(c.var.settings);
  const clearSignIn = cookieLine(SIGN_IN_COOKIE, "", 0);
  const expired = () => errorPage(400, EXPIRED, brand, new Headers({ "set-cookie": clearSignIn }));
  try {
    const state = c.req.query("state") ?? "";
    const key = await pendingKey(state);
    const pending = await kvOf(c).get<PendingPersonSignIn>(key, "json");
    if (pending === null) return expired();
    await kvOf(c).delete(key);
    const browser = cookieValue(c, SIGN_IN_COOKIE);
    if (!browser || (await s256(browser)) !== pending.browser) return expired();

    const code = c.req.query("code");
    const upstreamName = activeUpstream.name;
    if (c.req.query("error") || !code) {
      return errorPage(400, { title: "Sign-in did not complete", problem: `Signing in with ${upstreamName} was cancelled or refused.`, advice: SIGN_IN_AGAIN }, brand, new Headers({ "set-cookie": clearSignIn }));
    }
    let person: UpstreamPerson;
    try {
      person = await activeUpstream.signIn(c.env, { code, codeVerifier: pending.codeVerifier, redirectUri: `${c.var.origin}/callback` });
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      console.error(`Sign-in with ${upstreamName} failed: ${error.message}`);
      return errorPage(502, { title: "Sign-in failed", problem: `${upstreamName} could not confirm who you are.`, advice: `Try again in a minute. ${SIGN_IN_AGAIN}` }, brand, new Headers({ "set-cookie": clearSignIn }));
    }
    const signedInWith = person.development ? "the development sign-in" : upstreamName;
    // No agent is involved: the allowlist's rules for people (emails, domains, organizations) are what apply.
    const refusal = signInRefusal(person, "", c.var.settings, signedInWith);
    if (refusal) {
      const advice = `To use another account, sign out of ${signedInWith}, then open this page again.`;
      return errorPage(403, { ...refusal, advice }, brand, new Headers({ "set-cookie": clearSignIn }));
    }
    const session: SignedInPerson = {
      id: person.id,
      name: person.name,
      email: person.email,
      signedInWith,
      ...(person.development ? { development: true as const } : {}),
      sid: randomToken(),
      exp: Math.floor(Date.now() / 1000) + SESSION_TTL_S,
    };
    const payload = toBase64url(encoder.encode(JSON.stringify(session)));
    const cookie = cookieLine(PERSON_SESSION_COOKIE, `${payload}.${await sign(c, `session:${payload}`)}`, SESSION_TTL_S);
    return redirect(safeReturnTo(pending.returnTo, c.var.origin), 303, [clearSignIn, cookie]);
  } catch (error) {
    return failureResponse(error, brand);
  }
}

/** The token a form on a signed-in page carries (its CSRF token): bound to this session, useless in any other. */
export const formToken = (c: Context<AppEnv>, person: SignedInPerson) => sign(c, `form:${person.sid}`);

/**
 * Why a POST from a signed-in page is refused, or null: an Origin header naming another origin, or a form token that
 * is not this session's (checked in constant time). These pages send no referrer, so a browser posts their forms with
 * `Origin: null`: that names no origin, and the token (with the `SameSite=Lax` session cookie) is what holds then.
 */
export async function formRefusal(c: Context<AppEnv>, person: SignedInPerson, token: unknown): Promise<PageMessage | null> {
  const origin = c.req.header("origin");
  const foreign = origin !== undefined && origin !== "" && origin !== "null" && origin !== c.var.origin;
  const tokenOk = typeof token === "string" && token !== "" && (await verified(c, `form:${person.sid}`, token));
  if (foreign || !tokenOk) {
    return { title: "This form cannot be used", problem: "It did not come from this server's page, or the page is from an earlier sign-in.", advice: "Open the page again and use its buttons." };
  }
  return null;
}

/** GET /sign-in?return_to=/path (a path on this server) and POST /sign-out (from a signed-in page's button). */
export function personSessionRoutes(app: Hono<AppEnv>): void {
  app.get("/sign-in", (c) => startPersonSignIn(c, c.req.query("return_to") ?? DEFAULT_RETURN));

  app.post("/sign-out", async (c) => {
    const brand = serverBrand(c.var.settings);
    const person = await signedInPerson(c);
    const clear = new Headers({ "set-cookie": cookieLine(PERSON_SESSION_COOKIE, "", 0) });
    if (person) {
      const refusal = await formRefusal(c, person, (await c.req.parseBody()).token);
      if (refusal) return errorPage(403, refusal, brand);
    }
    return messagePage(200, { title: "You are signed out", problem: "This browser no longer has your account page open.", advice: `To see it again, open ${c.var.origin}/account.`, brand }, clear);
  });
}
