import { serveProxy } from "./server/proxy/oauth-server.js";
import type { Env } from "./server/settings.js";
import { grantsFor } from "./server/grants-access.js";
import { createWorkerApp, requestOrigin } from "./server/worker-app.js";

export { UserState } from "./server/store/user-state.js";

/**
 * Proxy mode: this Worker is its own OAuth 2.1 authorization server (@cloudflare/workers-oauth-provider).
 * Requests to /mcp need one of its access tokens; everything else (/authorize, /callback, metadata, /) goes to the app.
 */
const app = createWorkerApp(grantsFor);

export default {
  fetch: (request, env, ctx) => serveProxy(app, request, env, ctx, requestOrigin),
} satisfies ExportedHandler<Env>;
