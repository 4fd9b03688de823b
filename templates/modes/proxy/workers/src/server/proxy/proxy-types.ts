import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";

/** The Worker bindings proxy mode adds to the string settings. */
export interface ProxyBindings {
  OAUTH_KV: KVNamespace;
  /** Set by the OAuth provider on every request it hands to the app. */
  OAUTH_PROVIDER: OAuthHelpers;
  COOKIE_ENCRYPTION_KEY?: string;
}

/**
 * What a grant carries, encrypted in KV and handed to /mcp as `ctx.props`: who signed in and which agent
 * they approved. Never the provider's tokens — those are either not kept at all or kept in `upstream`,
 * which no tool ever sees.
 */
export interface GrantProps {
  user: { id: string; email: string | null; email_verified: boolean; name: string | null };
  organization: string | null;
  role: string | null;
  /** The permissions the person held upstream at sign-in or the last refresh. */
  permissions: string[];
  /** The agent's OAuth client id at this server. */
  client_id: string;
  /** The agent's name as it registered (for the audit trail); grants made before it was kept have none. */
  client_name?: string;
  /** Signed in by the development sign-in (a test person): refused once the real provider is set up. */
  development?: true;
  /** Server-side only: what the upstream provider needs to refresh this person's sign-in. */
  upstream?: { refreshToken: string };
}

/** Metadata stored in clear beside a grant, for listing a person's grants. */
export interface GrantMetadata {
  client_name: string;
  created_at: string;
}
