import type { Context, Hono } from "hono";
import type { AppEnv } from "./app.js";
import type { Settings } from "./settings.js";
import type { ProviderSettings } from "./sign-in-state.js";
import type { Identity } from "../tools/types.js";
import type { ConfirmationPage } from "./policy/confirmation.js";

/** What an auth layer provides in src/server/auth.ts: who is calling /mcp, and any routes sign-in needs. */
export interface AuthLayer {
  /** Routes sign-in needs (metadata, consent, callback …); added before /mcp. */
  routes?(app: Hono<AppEnv>): void;
  /** The sign-in provider's settings (none in authless): whether it is set up, else the development sign-in or what to fix. */
  signIn?: ProviderSettings;
  /** The caller's identity, or the response to send instead (a 401/403 challenge). */
  identify(c: Context<AppEnv>, settings: Settings): Promise<Identity | Response>;
  /**
   * Step-up, where the tools' permissions are OAuth scopes (generic OIDC): the 403 insufficient_scope challenge for a
   * tools/call needing `permissions` this identity lacks, so the client re-authorizes with more scopes; null where a
   * permission comes from a role, which a new authorization cannot change (the tool error naming it answers then).
   */
  stepUp?(c: Context<AppEnv>, identity: Identity, permissions: string[]): Response | null;
  /**
   * Where a person confirms a call on this server's own page, for clients that cannot ask them (proxy mode, which signs
   * people in itself); absent elsewhere, where such a client is told it cannot use the tool.
   */
  confirmationPage?(c: Context<AppEnv>): ConfirmationPage;
}
