import type { AuthMode } from "./types.js";

/** One line per auth mode for its prompt; the README's "Auth modes" says the rest. */
export const AUTH_MODE_DESCRIPTIONS: Record<AuthMode, string> = {
  direct: "the provider is the OAuth server and this server checks its tokens; the provider must let MCP clients register (WorkOS: a dashboard switch)",
  proxy: "this server is its own OAuth server and signs people in through the provider; works with every MCP client, no dashboard switches; Workers only",
};
