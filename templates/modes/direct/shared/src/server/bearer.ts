// These stay hand-written rather than the MCP SDK's requireBearerAuth / bearerAuthChallengeResponse: the SDK answers
// a request with no token at all with `error="invalid_token"` (RFC 6750 §3.1: a challenge without credentials SHOULD
// carry no error code), and it checks the audience only through AuthInfo.resource, where jose's `aud` check here is
// the one place that decides. Its buildOAuthProtectedResourceMetadata wants the authorization server's whole metadata
// document; ours names the issuer without fetching it (src/server/auth.ts).

/** The bearer token of the Authorization header: a string, null when absent, "malformed" when unusable. */
export function bearerToken(request: Request): string | null | "malformed" {
  const header = request.headers.get("authorization");
  if (header === null) return null; // tokens in the query string are never read (MCP authorization spec)
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  return match ? match[1]! : "malformed";
}

export interface Challenge {
  /** Absent for a request without credentials. */
  error?: "invalid_token" | "insufficient_scope";
  description?: string;
  /** Scopes to ask for (insufficient_scope: those required plus those already granted). */
  scope?: string[];
  resourceMetadataUrl: string;
}

const quoted = (value: string) => `"${value.replace(/[\\"]/g, "\\$&")}"`;

/** RFC 6750 / RFC 9728 challenge: 401 for missing or bad tokens, 403 for missing scopes. */
export function challengeResponse(challenge: Challenge): Response {
  const params = [`resource_metadata=${quoted(challenge.resourceMetadataUrl)}`];
  if (challenge.error) params.push(`error=${quoted(challenge.error)}`);
  if (challenge.description) params.push(`error_description=${quoted(challenge.description)}`);
  if (challenge.scope?.length) params.push(`scope=${quoted(challenge.scope.join(" "))}`);
  const status = challenge.error === "insufficient_scope" ? 403 : 401;
  return new Response(
    JSON.stringify({ error: challenge.error ?? "unauthorized", error_description: challenge.description ?? "Sign-in required." }),
    { status, headers: { "content-type": "application/json", "www-authenticate": `Bearer ${params.join(", ")}` } },
  );
}
