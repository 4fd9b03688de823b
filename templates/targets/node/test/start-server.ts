import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnServer, type RunningServer } from "./server-process.js";

/** Starts the real server (src/index.ts through tsx) on a free port, with an empty store of its own. */
export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return spawnServer({
    args: ["--import", "tsx", "src/index.ts"],
    env: { NODE_ENV: "development", DATA_DIR: mkdtempSync(path.join(tmpdir(), "mcp-test-data-")), ...env },
    startTimeoutMs: 30_000,
  });
}
