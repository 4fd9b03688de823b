import type { CallToolResult, InputRequiredResult, RequestStateCodec, ServerContext, ToolAnnotations } from "@modelcontextprotocol/server";
import type { z } from "zod";
import type { Store } from "../server/store/store.js";

/** Why a caller holds a permission: their role at the provider, an OAuth scope the issuer granted, or GITHUB_ADMINS. */
export type PermissionSource = "role" | "scope" | "admins";

/** Who is calling, as the sign-in (src/server/auth.ts, with src/sign-in.ts) established it. */
export interface Identity {
  kind: "person" | "service" | "anonymous";
  /** `email_verified`: the provider says the person proved they own the address (only then does it count for allowlists). */
  user: { id: string; email: string | null; email_verified: boolean; name: string | null } | null;
  organization: string | null;
  role: string | null;
  /** The permissions this call holds; each provider decides which of its claims count (see src/sign-in.ts). */
  permissions: string[];
  permission_sources: Record<string, PermissionSource>;
  client_id: string | null;
  /** The agent's name as it registered with this server (proxy mode), where known. */
  client_name?: string;
  scopes: string[];
  /** ISO 8601 time the caller's credentials expire, if they do. */
  expires_at: string | null;
  /** A note for the caller about how they were identified (e.g. that there is no sign-in). */
  hint?: string;
}

/** Everything a tool may use. Tools never import a platform API, so they run on every target. */
export interface ToolContext {
  identity: Identity;
  /** Whose state this is: the person (or, for a service token, the agent); without sign-in everyone is "anonymous". */
  subject: string;
  store: Store;
  /** A plain setting the packs declare (src/tools/index.ts `settingNames`; never a secret), or undefined when unset. */
  setting(name: string): string | undefined;
  /** The agents people have let act for them; only where this server is the OAuth server (proxy mode). */
  grants?: GrantsAccess;
  /**
   * The MCP request this call came in (SDK v2): progress notifications (`mcp.mcpReq.notify`), the answers to input
   * requests of an earlier round (`mcp.mcpReq.inputResponses`), the verified request state. Absent outside a server.
   */
  mcp?: ServerContext;
  /**
   * Signs the request state a tool puts in its own `input_required` rounds (`mint`), with the server's
   * REQUEST_STATE_KEY; the server verifies it when it comes back. Absent when the server has no key.
   */
  requestState?: RequestStateCodec<Record<string, unknown>>;
}

/**
 * A tool result in MCP's own shape, passed through as it is: content other than JSON text (images, audio, resources),
 * or an `input_required` round (`inputRequired(...)` from `@modelcontextprotocol/server`). Return `new McpResult(…)`.
 */
export class McpResult {
  constructor(readonly result: CallToolResult | InputRequiredResult) {}
}

/**
 * Whether this call holds `permission`. Only `identity.permissions` counts: the sign-in layer decided which of the
 * provider's claims are permissions, so a scope a client merely asked for never is one by itself.
 */
export const holds = (ctx: ToolContext, permission: string) => ctx.identity.permissions.includes(permission);

/** A setting that must be a whole number ≥ 1 (e.g. a limit), or null when unset; a bad value is a ToolError naming it. */
export function wholeNumberSetting(ctx: Pick<ToolContext, "setting">, name: string): number | null {
  const value = ctx.setting(name)?.trim();
  if (!value) return null;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new ToolError("bad_setting", `${name}: "${value}" is not a whole number of at least 1.`);
  return count;
}

export interface GrantInfo {
  grant_id: string;
  client_id: string;
  client_name: string;
  created_at: string;
}

export interface GrantsAccess {
  list(userId: string): Promise<GrantInfo[]>;
  /** The grant revoked, or null when the person has no such grant. */
  revoke(userId: string, grantId: string): Promise<GrantInfo | null>;
}

/** A refusal or failure the caller should see as data: `code` plus a message and any details (e.g. retry_after_s). */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Tool arguments as a zod object shape, e.g. `{ city: z.string() }`. */
export type InputShape = z.ZodRawShape;

export interface ToolDef<Shape extends InputShape = InputShape> {
  name: string;
  title?: string;
  /** What the tool does and when to use it: the model reads this. */
  description: string;
  inputSchema?: Shape;
  annotations?: ToolAnnotations;
  /** A permission the caller must hold (identity.permissions), checked before `run`. */
  permission?: string;
  /**
   * The tool acts for a signed-in person (their name, address, account): a service token (client credentials, an
   * agent without a person, `identity.kind === "service"`) is refused before `run`.
   */
  needsPerson?: true;
  /**
   * Marks a consequential tool (it spends, sends or deletes something): it runs only once the person confirmed this
   * exact call, asked this question (CONFIRM_TOOLS, when set, decides instead which tools ask). E.g. "Order one L shirt
   * for Ada Lovelace, Acme, to 123 Main St?"
   */
  confirm?(args: z.output<z.ZodObject<Shape>>, ctx: ToolContext): string;
  /** Returns plain JSON-able data (or an McpResult); throw a ToolError (or any Error) to report a refusal or failure. */
  run(args: z.output<z.ZodObject<Shape>>, ctx: ToolContext): unknown;
}

export interface ToolPack {
  id: string;
  tools: ToolDef[];
  /**
   * Runs before every tool of every pack once its permission and quota checks passed; throwing a ToolError refuses the
   * call (e.g. demo mode's ban).
   */
  guard?(tool: ToolDef, ctx: ToolContext): Promise<void> | void;
}

/** Types `run`'s arguments from `inputSchema`. */
export function defineTool<Shape extends InputShape = {}>(tool: ToolDef<Shape>): ToolDef {
  return tool as unknown as ToolDef;
}
