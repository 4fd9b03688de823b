import type { Env } from "../settings.js";
import type { ProviderSettings } from "../sign-in-state.js";
import { randomToken, s256 } from "../base64url.js";

/** The person an upstream provider signed in, as this server keeps them in a grant. */
export interface UpstreamPerson {
  id: string;
  email: string | null;
  /** The provider says the person proved they own `email` (only then does it count for allowlists). */
  emailVerified: boolean;
  name: string | null;
  organization: string | null;
  role: string | null;
  permissions: string[];
  /** Kept server-side (encrypted in the grant) to refresh the sign-in; never shown to agents or tools. */
  refreshToken: string | null;
  /** Signed in by the development sign-in (a test person): refused once the real provider is set up. */
  development?: true;
}

/**
 * One upstream OAuth provider people sign in with (any OAuth 2 provider, e.g. GitHub): where to send the browser,
 * and how to turn the code it comes back with into a verified person. src/upstream.ts provides it.
 */
export interface Upstream extends ProviderSettings {
  /** Where the permissions it reports come from: the person's role there, or the GITHUB_ADMINS setting. */
  permissionSource: "role" | "admins";
  /** The provider's authorization URL for this sign-in (PKCE S256 and state included). */
  authorizationUrl(env: Env, request: { redirectUri: string; state: string; codeChallenge: string }): string;
  /** Exchanges the callback's code and verifies what comes back. Throws UpstreamError when it cannot. */
  signIn(env: Env, callback: { code: string; codeVerifier: string; redirectUri: string }): Promise<UpstreamPerson>;
  /** Refreshes a sign-in (role and permission changes arrive this way). Throws UpstreamError. */
  refresh?(env: Env, refreshToken: string): Promise<UpstreamPerson>;
  /**
   * The provider's tokens for agents without a person (client credentials), which /mcp accepts beside this server's
   * own; null where the provider has no such grant (GitHub).
   */
  machineTokens: MachineTokens | null;
}

/** An agent without a person, as a verified machine token names it (handed to /mcp as the request's props). */
export interface ServiceProps {
  service: { client_id: string; organization: string | null; scopes: string[]; permissions: string[]; expires_at: string };
}

export interface MachineTokens {
  /**
   * Verifies `token` (issuer, audience = `resource`, signature, expiry) and answers the service it stands for. Throws
   * MachineTokenRefused for a token that is not one (a person's token included: people sign in here, with consent);
   * any other error means the provider's keys could not be fetched.
   */
  verify(env: Env, token: string, resource: string): Promise<ServiceProps>;
}

/** A machine token refused for what it is (bad, expired, for another audience, a person's): a 401 with this description. */
export class MachineTokenRefused extends Error {
  override name = "MachineTokenRefused";
}

/** The upstream provider refused or failed; `permanent` means the sign-in can never be used again. */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}


/** A PKCE verifier and its S256 challenge (RFC 7636). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken();
  return { verifier, challenge: await s256(verifier) };
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * A token-endpoint request with client_secret_post (RFC 6749 §4.1.3 / §6). Answers the JSON body, or throws
 * UpstreamError: `invalid_grant` is permanent (the code or refresh token is dead), anything else is not.
 */
export async function tokenRequest(
  tokenUrl: string,
  client: OAuthClientCredentials,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ ...params, client_id: client.clientId, client_secret: client.clientSecret }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new UpstreamError(`The sign-in provider could not be reached: ${(error as Error).message}`, false);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const code = typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
    throw new UpstreamError(`The sign-in provider refused the token request (${code}).`, code === "invalid_grant");
  }
  return body;
}
