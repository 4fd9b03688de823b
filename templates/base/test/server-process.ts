import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export interface RunningServer {
  /** e.g. http://127.0.0.1:53211 */
  url: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Arguments to `node`, run in the project directory. */
  args: string[];
  env?: Record<string, string>;
  startTimeoutMs: number;
}

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

/** Runs `node <args>` with PORT set to a free port and resolves once `GET /` answers. */
export async function spawnServer({ args, env = {}, startTimeoutMs }: SpawnOptions): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env, PORT: String(port) },
    // Its own process group on POSIX, so stopping it also stops its children (wrangler's workerd).
    detached: process.platform !== "win32",
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const killNow = () => killTree(child, "SIGKILL");
  process.once("exit", killNow);

  try {
    await waitUntilUp(url, child, startTimeoutMs);
  } catch (error) {
    killNow();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output.slice(-4000)}`);
  }
  return {
    url,
    async stop() {
      process.off("exit", killNow);
      await stopTree(child);
    },
  };
}

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before it answered.`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server did not answer ${url} within ${timeoutMs / 1000} s.`);
}

async function stopTree(child: ChildProcess): Promise<void> {
  killTree(child, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (isAlive(child) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  killTree(child, "SIGKILL");
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") {
      spawnSync("taskkill", ["/pid", String(child.pid), "/T", "/F"], { stdio: "ignore" });
    } else {
      process.kill(-child.pid, signal);
    }
  } catch {
    // already gone
  }
}

function isAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(process.platform === "win32" ? child.pid : -child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
