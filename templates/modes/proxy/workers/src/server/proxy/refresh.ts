import { GrantType, OAuthError, type TokenExchangeCallbackOptions, type TokenExchangeCallbackResult } from "@cloudflare/workers-oauth-provider";
import type { Env } from "../settings.js";
import { packSettingOf } from "../pack-settings.js";
import { recordGrantRevocation } from "../policy/audit-trail.js";
import { createDurableStore, type StoreBindings } from "../store/durable-store.js";
import { activeUpstream as upstream } from "./dev-upstream.js";
import { grantPropsFor } from "./grant-props.js";
import { grantedScopes } from "./scopes.js";
import type { GrantProps } from "./proxy-types.js";
import { UpstreamError } from "./upstream-client.js";

/**
 * Called by the OAuth provider at the token endpoint. On a refresh, the person's sign-in is refreshed upstream
 * too: role and permission changes arrive, and a person the provider no longer accepts loses the grant
 * (invalid_grant revokes it), and a permission the person lost leaves the new token's scope too. Grants without an
 * upstream refresh token keep what they were signed in with.
 */
export async function refreshGrant(options: TokenExchangeCallbackOptions<Env>): Promise<TokenExchangeCallbackResult | void> {
  if (options.grantType !== GrantType.REFRESH_TOKEN) return;
  const props = options.props as GrantProps;
  const refreshToken = props.upstream?.refreshToken;
  if (!refreshToken || !upstream.refresh) return;
  try {
    const person = await upstream.refresh(options.env, refreshToken);
    if (person.id !== props.user.id) throw new UpstreamError("The sign-in provider answered for another person.", true);
    return {
      newProps: grantPropsFor(person, props.client_id, props.client_name, refreshToken),
      accessTokenScope: grantedScopes(options.requestedScope, person.permissions),
    };
  } catch (error) {
    if (error instanceof UpstreamError && error.permanent) {
      await recordRefusedRefresh(options, props);
      throw new OAuthError("invalid_grant", { description: `${upstream.name} no longer accepts this sign-in. Sign in again.` });
    }
    console.error(`Refreshing the ${upstream.name} sign-in failed: ${(error as Error).message}`);
    throw new OAuthError("temporarily_unavailable", {
      description: `${upstream.name} could not be reached. Try again shortly.`,
      statusCode: 503,
      headers: { "Retry-After": "30" },
    });
  }
}

/** The provider revokes a grant whose refresh answers invalid_grant: the audit trail says the sign-in provider did. */
async function recordRefusedRefresh(options: TokenExchangeCallbackOptions<Env>, props: GrantProps): Promise<void> {
  const grant = { grant_id: options.grantId, client_id: props.client_id, client_name: props.client_name ?? props.client_id };
  const store = createDurableStore(options.env as unknown as StoreBindings);
  await recordGrantRevocation(store, packSettingOf(options.env), props.user.id, grant, upstream.name, "refresh_refused");
}
