import { createApp } from "./app.js";
import { isLoopbackHost } from "./origin.js";
import type { Env } from "./settings.js";
import { createDurableStore, type StoreBindings } from "./store/durable-store.js";

export { UserState } from "./store/user-state.js";

export default createApp({
  // Cloudflare routes requests by host name, so there the Host header names this Worker. Under
  // `wrangler dev` (client on this machine) a DNS-rebinding page could have chosen it instead.
  trustRequestHost: (request) => {
    const client = request.headers.get("cf-connecting-ip");
    return client !== null && !isLoopbackHost(client);
  },
  platform: {
    store: (c) => createDurableStore(c.env as unknown as StoreBindings),
    // Set by Cloudflare (and by wrangler dev) for every request; clients cannot choose it.
    clientAddress: (c) => c.req.header("cf-connecting-ip") ?? "unknown",
  },
}) satisfies ExportedHandler<Env>;
