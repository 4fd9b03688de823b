import type { Env } from "./settings.js";

/**
 * Set by `npm run dev` (scripts/dev.mjs) and by nothing else: this Worker runs under `wrangler dev` on this machine.
 * Decided from the Worker's own configuration, never from a request, which anyone can shape.
 */
export const DEV_SERVER_VAR = "MCP_DEV_SERVER";
export const underWranglerDev = (env: Env) => env[DEV_SERVER_VAR] === "wrangler";
