import type { AuthRequest } from "@cloudflare/workers-oauth-provider";
import { underWranglerDev } from "../dev-server.js";
import { SettingsError, type Env } from "../settings.js";
import { grantedScopes } from "./scopes.js";
import { fromBase64url, randomToken, toBase64url } from "../base64url.js";

/**
 * Remembered consent, per person: once someone approved an agent (client id + redirect URI + resource + the scopes
 * they granted it), their next sign-in for it skips the consent page while it asks for nothing more than was granted
 * (a permission they unticked, or one asked for only now, shows the page again) — but only in a browser where that same person signed in last (a signed
 * `__Host-` cookie names them); anyone else signing in there is shown the page.
 */

const APPROVAL_TTL_S = 30 * 24 * 60 * 60;
export const SESSION_COOKIE = "__Host-mcp-signed-in";

interface Approval {
  redirectUri: string;
  resource: string | null;
  /** The scopes granted then (never a permission the person unticked). */
  scope: string[];
}

const approvalKey = (userId: string, clientId: string) => `approval:${userId}:${clientId}`;

export async function rememberApproval(kv: KVNamespace, userId: string, request: AuthRequest, granted: readonly string[]): Promise<void> {
  const approval: Approval = { redirectUri: request.redirectUri, resource: request.resource ?? null, scope: [...granted] };
  await kv.put(approvalKey(userId, request.clientId), JSON.stringify(approval), { expirationTtl: APPROVAL_TTL_S });
}

/** Whether `userId` already granted this agent everything it could get now (`grantedScopes` for what they hold). */
export async function isApproved(kv: KVNamespace, userId: string, request: AuthRequest, held: readonly string[]): Promise<boolean> {
  const approval = await kv.get<Approval>(approvalKey(userId, request.clientId), "json");
  return (
    approval !== null &&
    approval.redirectUri === request.redirectUri &&
    approval.resource === (request.resource ?? null) &&
    grantedScopes(request.scope, held).every((scope) => approval.scope.includes(scope))
  );
}

export async function forgetApproval(kv: KVNamespace, userId: string, clientId: string): Promise<void> {
  await kv.delete(approvalKey(userId, clientId));
}

/** A key made at start-up, for `wrangler dev` without COOKIE_ENCRYPTION_KEY (cookies then last until a restart). */
let developmentKey: string | undefined; // made at the first request: Workers make no random values at start-up

/** What is wrong with COOKIE_ENCRYPTION_KEY for a real sign-in (it must be long enough to be a real key). */
export function cookieKeyProblems(env: Env): string[] {
  const key = env.COOKIE_ENCRYPTION_KEY?.trim() ?? "";
  return key.length < 32 ? ["COOKIE_ENCRYPTION_KEY must be set to a random value of at least 32 characters (e.g. `openssl rand -hex 32`)."] : [];
}

/** COOKIE_ENCRYPTION_KEY; under `wrangler dev` without one, a key made at start-up. */
export function cookieKey(env: Env): string {
  const [problem] = cookieKeyProblems(env);
  if (problem === undefined) return env.COOKIE_ENCRYPTION_KEY!.trim();
  if (underWranglerDev(env)) return (developmentKey ??= randomToken());
  throw new SettingsError(problem);
}

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(`mcp-session:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** `Set-Cookie` value naming the person who just signed in on this browser. */
export async function sessionCookie(secret: string, userId: string): Promise<string> {
  const payload = toBase64url(encoder.encode(JSON.stringify({ sub: userId, exp: Math.floor(Date.now() / 1000) + APPROVAL_TTL_S })));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(payload)));
  return `${SESSION_COOKIE}=${payload}.${toBase64url(mac)}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${APPROVAL_TTL_S}`;
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`;

/** The person the session cookie names, when its signature and expiry hold. */
export async function sessionUser(secret: string, request: Request): Promise<string | null> {
  const cookies = request.headers.get("cookie") ?? "";
  const value = cookies
    .split(/;\s*/)
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  const [payload, mac] = value?.split(".") ?? [];
  if (!payload || !mac) return null;
  try {
    const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), fromBase64url(mac), encoder.encode(payload));
    if (!ok) return null;
    const { sub, exp } = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as { sub?: unknown; exp?: unknown };
    return typeof sub === "string" && typeof exp === "number" && exp > Date.now() / 1000 ? sub : null;
  } catch {
    return null;
  }
}
