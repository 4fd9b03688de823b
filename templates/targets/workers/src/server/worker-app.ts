import { createApp } from "./app.js";
import { loopbackOrigin } from "./origin.js";
import type { Env } from "./settings.js";
import { underWranglerDev } from "./dev-server.js";
import type { Platform } from "./platform.js";
import { createDurableStore, type StoreBindings } from "./store/durable-store.js";


/**
 * Cloudflare routes requests by host name, so on Cloudflare the Host header names this Worker. Under `wrangler dev` a
 * DNS-rebinding page could have chosen it (with any CF-Connecting-IP it likes), so there only a loopback host does.
 */
export const requestOrigin = (request: Request, env: Env): string | null =>
  underWranglerDev(env) ? loopbackOrigin(request) : new URL(request.url).origin;

/** The app every Workers entry serves (src/index.ts; in proxy mode wrapped in the OAuth server, which adds `grants`). */
export const createWorkerApp = (grants?: Platform["grants"]) =>
  createApp({
    requestOrigin: (c) => requestOrigin(c.req.raw, c.env),
    platform: {
      store: (c) => createDurableStore(c.env as unknown as StoreBindings),
      // Cloudflare sets CF-Connecting-IP on every request (replacing a client's own). Under `wrangler dev` a web page may
      // send one, and every caller is on this machine anyway.
      localDevelopment: (c) => underWranglerDev(c.env),
      clientAddress: (c) => (underWranglerDev(c.env) ? "127.0.0.1" : (c.req.header("cf-connecting-ip") ?? "unknown")),
      ...(grants ? { grants } : {}),
    },
  });
