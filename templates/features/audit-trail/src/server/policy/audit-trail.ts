import type { Store } from "../store/store.js";
import { personSubject } from "../subject.js";
import { type ToolContext, wholeNumberSetting } from "../../tools/types.js";

/** The collection audit records are kept in (the audit pack's audit_log reads it). */
export const AUDIT = "audit";
const DEFAULT_RETENTION_DAYS = 30;

/**
 * What an audit record is about: a tool call, a person allowing an agent on the consent page, a person refusing one
 * there (Deny), or a grant revoked.
 */
export type AuditKind = "call" | "authorization" | "consent_denied" | "revocation";

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

/** Node's one-shot hash (node:crypto `hash`), where the runtime has it: synchronous, unlike Web Crypto's digest. */
const nodeHash = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.("node:crypto") as
  | { hash?(algorithm: string, data: string, encoding: "hex"): string }
  | undefined;

async function sha256Hex(text: string): Promise<string> {
  if (nodeHash?.hash) return nodeHash.hash("sha256", text, "hex");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Who called what through which agent, when, and how it ended; the arguments only as a digest (never addresses, tokens or secrets). */
export async function recordCall(tool: string, args: Record<string, unknown>, ctx: ToolContext, outcome: string): Promise<void> {
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
    },
    ctx.setting,
  );
}

/** A grant of `userId`'s revoked by the caller (themselves, or someone with admin:grants), recorded as that person's. */
export async function recordRevocation(ctx: ToolContext, userId: string, grant: { grant_id: string; client_id: string; client_name: string }): Promise<void> {
  const revokedBy = ctx.identity.user?.id ?? ctx.identity.client_id;
  await recordAudit(ctx.store, personSubject(userId), "revocation", { user_id: userId, ...grant, revoked_by: revokedBy }, ctx.setting);
}
