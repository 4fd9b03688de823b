import { serveProxy } from "./proxy/provider.js";
import type { Env } from "./settings.js";
import { app, requestOrigin } from "./worker-app.js";

export { UserState } from "./store/user-state.js";

/**
 * Proxy mode: this Worker is its own OAuth 2.1 authorization server (@cloudflare/workers-oauth-provider).
 * Requests to /mcp need one of its access tokens; everything else (/authorize, /callback, metadata, /) goes to the app.
 */
export default {
  fetch: (request, env, ctx) => serveProxy(app, request, env, ctx, requestOrigin),
} satisfies ExportedHandler<Env>;
