import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

/** Asymmetric algorithms only: `none` and HMAC (a shared secret the server does not have) never verify. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
const CLOCK_SKEW_S = 30;

/** One key set per issuer, kept for the life of the process (or Worker isolate). */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(jwksUri: string) {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    // jose refetches on an unknown `kid`, at most once per cooldown, so a flood of forged kids cannot hammer the issuer.
    keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 10_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
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

/** Verifies signature, algorithm, issuer, audience, expiry (required) and not-before; throws with a reason otherwise. */
export async function verifyAccessToken(token: string, expected: Expected): Promise<JWTPayload> {
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
