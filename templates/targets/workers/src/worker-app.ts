import { createApp } from "./app.js";
import { isLoopbackHost } from "./origin.js";
import { grantsFor } from "./grants-access.js";
import { createDurableStore, type StoreBindings } from "./store/durable-store.js";

/**
 * Cloudflare routes requests by host name, so there the Host header names this Worker. Under `wrangler dev`
 * (client on this machine) a DNS-rebinding page could have chosen it instead.
 */
export const trustRequestHost = (request: Request) => {
  const client = request.headers.get("cf-connecting-ip");
  return client !== null && !isLoopbackHost(client);
};

/** The app every Workers entry serves (src/index.ts; in proxy mode wrapped in the OAuth provider). */
export const app = createApp({
  trustRequestHost,
  platform: {
    store: (c) => createDurableStore(c.env as unknown as StoreBindings),
    // Set by Cloudflare (and by wrangler dev) for every request; clients cannot choose it.
    clientAddress: (c) => c.req.header("cf-connecting-ip") ?? "unknown",
    grants: grantsFor,
  },
});
