import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnServer, type RunningServer } from "./server-process.js";

/** Starts the Worker with `npm run dev`'s script (real `wrangler dev`) on a free port, with empty local storage. */
export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return spawnServer({
    args: ["scripts/dev.mjs", "--persist-to", mkdtempSync(path.join(tmpdir(), "mcp-test-state-"))],
    env: { WRANGLER_SEND_METRICS: "false", ...env },
    startTimeoutMs: 60_000,
  });
}
