import { randomToken, s256 } from "../base64url.js";
import type { TestPerson } from "./people.js";

const CODE_TTL_MS = 60_000;

interface PendingCode {
  person: TestPerson;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  expires: number;
}

/** Authorization codes live in this process (or Worker isolate) only: a restart means signing in again. */
const codes = new Map<string, PendingCode>();


export function issueCode(pending: Omit<PendingCode, "expires">): string {
  const now = Date.now();
  for (const [code, entry] of codes) if (entry.expires < now) codes.delete(code);
  const code = randomToken();
  codes.set(code, { ...pending, expires: now + CODE_TTL_MS });
  return code;
}

/** The code's sign-in when every part matches (single use, unexpired, same client and redirect URI, PKCE S256); else null. */
export async function redeemCode(code: string, check: { clientId: string; redirectUri: string; codeVerifier: string }): Promise<PendingCode | null> {
  const pending = codes.get(code);
  codes.delete(code);
  if (!pending || pending.expires < Date.now()) return null;
  if (pending.clientId !== check.clientId || pending.redirectUri !== check.redirectUri) return null;
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(check.codeVerifier) || (await s256(check.codeVerifier)) !== pending.codeChallenge) return null;
  return pending;
}
