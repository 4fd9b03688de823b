import type { Store } from "../store/store.js";
import { personSubject } from "../subject.js";
import { sha256Hex } from "../sha256.js";
import { type ToolContext, wholeNumberSetting } from "../../tools/types.js";

/** The collection audit records are kept in (the audit pack's audit_log reads it). */
export const AUDIT = "audit";
const DEFAULT_RETENTION_DAYS = 30;

/**
 * What an audit record is about: a tool call, a person allowing an agent on the consent page, a person refusing one
 * there (Deny), a grant revoked, or a person's answer on the confirmation page (proxy mode) to a call an agent asked.
 */
export const AUDIT_KINDS = ["call", "authorization", "consent_denied", "revocation", "confirmation"] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Adds one audit record of `kind` to `owner`'s (the subject it concerns), kept for RETENTION_DAYS. */
export async function recordAudit(
  store: Store,
  owner: string,
  kind: AuditKind,
  data: Record<string, unknown>,
  setting: ToolContext["setting"],
): Promise<void> {
  const retentionDays = wholeNumberSetting({ setting }, "RETENTION_DAYS") ?? DEFAULT_RETENTION_DAYS;
  const record = { id: crypto.randomUUID(), owner, at: new Date().toISOString(), data: { kind, ...data } };
  await store.insert(AUDIT, record, { ttlS: retentionDays * 86_400 });
}

/**
 * Who called what through which agent, when, and how it ended; the arguments only as a digest (never addresses, tokens
 * or secrets). `extra`: what else the call's record says (a confirmation: asked, confirmed or declined, and by whom).
 */
export async function recordCall(tool: string, args: Record<string, unknown>, ctx: ToolContext, outcome: string, extra: Record<string, unknown> = {}): Promise<void> {
  const argsSha256 = await sha256Hex(JSON.stringify(args ?? {}));
  await recordAudit(
    ctx.store,
    ctx.subject,
    "call",
    {
      user_id: ctx.identity.user?.id ?? null,
      identity_kind: ctx.identity.kind,
      client_id: ctx.identity.client_id,
      client_name: ctx.identity.client_name ?? null,
      tool,
      outcome,
      args_sha256: argsSha256,
      ...extra,
    },
    ctx.setting,
  );
}

/** What a revocation record names of the grant. */
export interface RevokedGrant {
  grant_id: string;
  client_id: string;
  client_name: string;
}

/**
 * A grant of `userId`'s revoked, recorded as that person's: by whom (a person's id, the agent's own client id for an
 * RFC 7009 revocation, or the sign-in provider's name when it stopped accepting the person) and how.
 */
export async function recordGrantRevocation(
  store: Store,
  setting: ToolContext["setting"],
  userId: string,
  grant: RevokedGrant,
  revokedBy: string | null,
  via: "revoke_grant" | "account_page" | "token_revocation" | "refresh_refused",
): Promise<void> {
  const { grant_id, client_id, client_name } = grant;
  await recordAudit(store, personSubject(userId), "revocation", { user_id: userId, grant_id, client_id, client_name, revoked_by: revokedBy, via }, setting);
}

/** A grant of `userId`'s revoked by the caller of revoke_grant (themselves, or someone with admin:grants). */
export async function recordRevocation(ctx: ToolContext, userId: string, grant: RevokedGrant): Promise<void> {
  const revokedBy = ctx.identity.user?.id ?? ctx.identity.client_id;
  await recordGrantRevocation(ctx.store, ctx.setting, userId, grant, revokedBy, "revoke_grant");
}
