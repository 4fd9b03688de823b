import { spawnServer, type RunningServer } from "./server-process.js";

/** Starts the Worker with `npm run dev`'s script (real `wrangler dev`) on a free port. */
export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return spawnServer({
    args: ["scripts/dev.mjs"],
    env: { WRANGLER_SEND_METRICS: "false", ...env },
    startTimeoutMs: 60_000,
  });
}
