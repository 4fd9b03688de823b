import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

/** Asymmetric algorithms only: `none` and HMAC (a shared secret the server does not have) never verify. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
const CLOCK_SKEW_S = 30;

/** How long fetched keys are trusted before jose fetches them again; a verified token is remembered no longer. */
const KEY_CACHE_MAX_AGE_MS = 10 * 60_000;
const VERIFIED_MAX = 5_000;

/** One key set per issuer, kept for the life of the process (or Worker isolate). */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(jwksUri: string) {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    // jose refetches on an unknown `kid`, at most once per cooldown, so a flood of forged kids cannot hammer the issuer.
    keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 10_000, cacheMaxAge: KEY_CACHE_MAX_AGE_MS, timeoutDuration: 5_000 });
    keySets.set(jwksUri, keys);
  }
  return keys;
}

export interface Expected {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its keys, or the keys themselves (the development sign-in's own). */
  keys: string | JWTVerifyGetKey;
}

/**
 * Tokens whose signature, issuer and audience were verified against fetched keys, by issuer, audience, key URL and
 * token: a token used again skips the signature check, never the time checks, and only until its keys would be fetched
 * again (a key the issuer withdrew stops counting no later than it would without this).
 */
const verified = new Map<string, { payload: JWTPayload; until: number }>();

/** Whether the time claims still hold (within the clock skew), checked on every use. */
function inTime(payload: JWTPayload, nowS: number): boolean {
  return payload.exp! + CLOCK_SKEW_S > nowS && (payload.nbf === undefined || payload.nbf - CLOCK_SKEW_S <= nowS);
}

/** Verifies signature, algorithm, issuer, audience, expiry (required) and not-before; throws with a reason otherwise. */
export async function verifyAccessToken(token: string, expected: Expected): Promise<JWTPayload> {
  const cacheKey = typeof expected.keys === "string" ? `${expected.issuer}\n${expected.audience}\n${expected.keys}\n${token}` : null;
  const now = Date.now();
  const known = cacheKey === null ? undefined : verified.get(cacheKey);
  if (known && known.until > now && inTime(known.payload, now / 1000)) return known.payload;
  if (known) verified.delete(cacheKey!); // stale, or out of time: the full check below says why
  const payload = await verifyFully(token, expected);
  if (cacheKey !== null) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!); // the oldest
    verified.set(cacheKey, { payload, until: now + KEY_CACHE_MAX_AGE_MS });
  }
  return payload;
}

async function verifyFully(token: string, expected: Expected): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, typeof expected.keys === "string" ? keySet(expected.keys) : expected.keys, {
    issuer: expected.issuer,
    audience: expected.audience,
    algorithms: ALGORITHMS,
    requiredClaims: ["exp", "sub"],
    clockTolerance: CLOCK_SKEW_S,
  });
  return payload;
}

/** jose's verdicts on the token itself (format, algorithm, signature, claims, an unknown key id), as opposed to failing to fetch keys. */
export function isTokenProblem(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  return /^ERR_(JWT|JWS|JWE)_/.test(code) || ["ERR_JWKS_NO_MATCHING_KEY", "ERR_JWKS_MULTIPLE_MATCHING_KEYS", "ERR_JOSE_ALG_NOT_ALLOWED", "ERR_JOSE_NOT_SUPPORTED"].includes(code);
}
