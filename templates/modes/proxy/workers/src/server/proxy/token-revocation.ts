import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Env } from "../settings.js";
import { packSettingOf } from "../pack-settings.js";
import { recordGrantRevocation } from "../policy/audit-trail.js";
import { createDurableStore, type StoreBindings } from "../store/durable-store.js";
import { grantsOf, type GrantInfo } from "../grants.js";
import { forgetApproval } from "./approvals.js";
import type { ProxyBindings } from "./proxy-types.js";

/** The grant an RFC 7009 revocation at /token names (a form with `token` and no `grant_type`), before it is handled. */
export interface PendingRevocation {
  userId: string;
  grant: GrantInfo;
}

/**
 * When `request` is an agent revoking one of its tokens, the grant the token belongs to (this server's tokens are
 * `userId:grantId:secret`). The provider checks the token belongs to the client asking; this only notes what it was.
 */
export async function pendingRevocation(request: Request, oauth: () => OAuthHelpers): Promise<PendingRevocation | null> {
  if (request.method !== "POST" || new URL(request.url).pathname !== "/token") return null;
  if (!request.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")) return null;
  const form = new URLSearchParams(await request.clone().text());
  const token = form.get("token");
  if (form.has("grant_type") || !token) return null;
  const [userId, grantId, secret] = token.split(":");
  if (!userId || !grantId || !secret) return null;
  const grant = (await grantsOf(oauth(), userId)).find((g) => g.grant_id === grantId);
  return grant ? { userId, grant } : null;
}

/**
 * After the provider answered a revocation: when the whole grant went (a refresh token was revoked; an access token
 * alone leaves the grant), the audit trail records it as revoked by the agent itself, and the remembered approval
 * goes with it, so the agent asks for consent again.
 */
export async function recordTokenRevocation(pending: PendingRevocation, oauth: OAuthHelpers, env: Env): Promise<void> {
  const { userId, grant } = pending;
  if ((await grantsOf(oauth, userId)).some((g) => g.grant_id === grant.grant_id)) return;
  await forgetApproval((env as unknown as ProxyBindings).OAUTH_KV, userId, grant.client_id);
  const store = createDurableStore(env as unknown as StoreBindings);
  await recordGrantRevocation(store, packSettingOf(env), userId, grant, grant.client_id, "token_revocation");
}
