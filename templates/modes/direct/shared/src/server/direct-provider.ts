import type { JWTPayload } from "jose";
import type { Env } from "./settings.js";
import type { ProviderSettings } from "./sign-in-state.js";
import type { Identity } from "../tools/types.js";

/** What a sign-in provider tells direct mode: which authorization server to trust and how to read its tokens. */
export interface DirectProvider extends ProviderSettings {
  /** The authorization server's issuer URL: tokens must carry it as `iss`; metadata names it. */
  issuer(env: Env): string;
  /** The audience tokens must carry; `resource` is this server's /mcp URL. */
  audience(env: Env, resource: string): string;
  /** Where the issuer publishes its signing keys (found through its metadata, for some). */
  jwksUri(issuer: string): string | Promise<string>;
  /**
   * Whether the tools' permissions are OAuth scopes this issuer grants (generic OIDC): then metadata lists them in
   * `scopes_supported`, and a call needing one the token lacks gets a 403 insufficient_scope challenge (step-up).
   */
  permissionsAreScopes?: boolean;
  /** The identity a verified token stands for. */
  identity(claims: JWTPayload, env: Env): Promise<Identity>;
}
