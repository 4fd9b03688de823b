import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = path.join(REPO_ROOT, "bin/create-mcp-auth.js");

/** A fresh directory outside the repository, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `cma-${prefix}-`)));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the built CLI the way a user does (no TTY on stdin), with the given environment on top of ours. */
export function runCli(args: string[], { cwd, env }: { cwd: string; env?: Record<string, string | undefined> }) {
  return execa(process.execPath, [BIN, ...args], {
    cwd,
    reject: false,
    stdin: "ignore",
    env: { npm_config_user_agent: undefined, ...env },
  });
}

/** Parses stdout that must be exactly one JSON object. */
export function onlyJson(stdout: string): Record<string, any> {
  const value = JSON.parse(stdout);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`not one JSON object: ${stdout}`);
  return value;
}

/** An executable `name` in `binDir` that writes its environment to `<recordsDir>/<name>-<pid>.env`, then runs `then`. */
export function writeRecordingShim(binDir: string, name: string, recordsDir: string, then: string): void {
  fs.mkdirSync(binDir, { recursive: true });
  fs.mkdirSync(recordsDir, { recursive: true });
  fs.writeFileSync(path.join(binDir, name), `#!/bin/sh\nenv > "${recordsDir}/${name}-$$.env"\n${then}\n`, { mode: 0o755 });
}

/** The environments the shims named `name` recorded. */
export function recordedEnvironments(recordsDir: string, name: string): string[] {
  return fs
    .readdirSync(recordsDir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith(".env"))
    .map((f) => fs.readFileSync(path.join(recordsDir, f), "utf8"));
}
