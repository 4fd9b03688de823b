import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Env } from "./settings.js";
import { forgetApproval } from "./proxy/approvals.js";
import type { GrantMetadata, ProxyBindings } from "./proxy/proxy-types.js";

/** One agent a person has let act for them (design: list_grants). */
export interface GrantInfo {
  grant_id: string;
  client_id: string;
  client_name: string;
  created_at: string;
}

const bindingsOf = (env: Env) => env as unknown as ProxyBindings;

/** Every grant `userId` has given, newest first. */
export const listGrants = (env: Env, userId: string) => grantsOf(bindingsOf(env).OAUTH_PROVIDER, userId);

/** A grant as the person's account page shows it: also the scopes it holds and where its tokens went. */
export interface GrantDetails extends GrantInfo {
  scope: string[];
  /** The redirect URI of the authorization that made it (grants from before the provider kept it have none). */
  redirect_uri: string | null;
}

/** Every grant `userId` has given, through the provider's helpers `oauth`, newest first. */
export async function grantsOf(oauth: OAuthHelpers, userId: string): Promise<GrantInfo[]> {
  return (await grantDetailsOf(oauth, userId)).map(({ grant_id, client_id, client_name, created_at }) => ({ grant_id, client_id, client_name, created_at }));
}

/** `grantsOf` with each grant's scopes and redirect URI. */
export async function grantDetailsOf(oauth: OAuthHelpers, userId: string): Promise<GrantDetails[]> {
  const grants: GrantDetails[] = [];
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(userId, { cursor, limit: 100 });
    for (const grant of page.items) {
      const metadata = (grant.metadata ?? {}) as Partial<GrantMetadata>;
      grants.push({
        grant_id: grant.id,
        client_id: grant.clientId,
        client_name: metadata.client_name ?? grant.clientId,
        created_at: metadata.created_at ?? new Date(grant.createdAt * 1000).toISOString(),
        scope: grant.scope,
        redirect_uri: grant.redirectUri ?? null,
      });
    }
    cursor = page.cursor;
  } while (cursor);
  return grants.sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/**
 * Revokes one of `userId`'s grants: its access and refresh tokens stop working at once (the agent's next call
 * gets 401), and the agent has to ask for consent again. Returns the grant, or null when `userId` has no such grant.
 */
export async function revokeGrant(env: Env, userId: string, grantId: string): Promise<GrantInfo | null> {
  const grant = (await listGrants(env, userId)).find((g) => g.grant_id === grantId);
  if (!grant) return null;
  await bindingsOf(env).OAUTH_PROVIDER.revokeGrant(grantId, userId);
  await forgetApproval(bindingsOf(env).OAUTH_KV, userId, grant.client_id);
  return grant;
}
