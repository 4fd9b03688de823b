import { spawnServer, type RunningServer } from "./server-process.js";

/** Starts the real server (src/index.ts through tsx) on a free port. */
export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return spawnServer({
    args: ["--import", "tsx", "src/index.ts"],
    env: { NODE_ENV: "development", ...env },
    startTimeoutMs: 30_000,
  });
}
