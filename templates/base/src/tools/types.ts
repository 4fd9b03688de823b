import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { Store } from "../store/types.js";

/** Why a caller holds a permission: their role at the provider, an OAuth scope the issuer granted, or GITHUB_ADMINS. */
export type PermissionSource = "role" | "scope" | "admins";

/** Who is calling, as the auth layer (src/auth.ts) established it. */
export interface Identity {
  kind: "person" | "service" | "anonymous";
  /** `email_verified`: the provider says the person proved they own the address (only then does it count for allowlists). */
  user: { id: string; email: string | null; email_verified: boolean; name: string | null } | null;
  organization: string | null;
  role: string | null;
  /** The permissions this call holds; each provider decides which of its claims count (see src/auth.ts). */
  permissions: string[];
  permission_sources: Record<string, PermissionSource>;
  client_id: string | null;
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
  limits: { ordersPerUser: number | null; retentionDays: number };
  /** The agents people have let act for them; only where this server is the OAuth server (proxy mode). */
  grants?: GrantsAccess;
}

export interface GrantInfo {
  grant_id: string;
  client_id: string;
  client_name: string;
  created_at: string;
}

export interface GrantsAccess {
  list(userId: string): Promise<GrantInfo[]>;
  /** False when the person has no such grant. */
  revoke(userId: string, grantId: string): Promise<boolean>;
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
  /** Returns plain JSON-able data; throw a ToolError (or any Error) to report a refusal or failure to the caller. */
  run(args: z.output<z.ZodObject<Shape>>, ctx: ToolContext): unknown;
}

export interface ToolPack {
  id: string;
  tools: ToolDef[];
}

/** Types `run`'s arguments from `inputSchema`. */
export function defineTool<Shape extends InputShape = {}>(tool: ToolDef<Shape>): ToolDef {
  return tool as unknown as ToolDef;
}
