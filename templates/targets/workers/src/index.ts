import { createApp } from "./app.js";
import { isLoopbackHost } from "./origin.js";
import type { Env } from "./settings.js";

export default createApp({
  // Cloudflare routes requests by host name, so there the Host header names this Worker. Under
  // `wrangler dev` (client on this machine) a DNS-rebinding page could have chosen it instead.
  trustRequestHost: (request) => {
    const client = request.headers.get("cf-connecting-ip");
    return client !== null && !isLoopbackHost(client);
  },
}) satisfies ExportedHandler<Env>;
