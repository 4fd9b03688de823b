import fs from "node:fs";
import path from "node:path";
import { StepError } from "../errors.js";

/**
 * The staging directory a run renders into, beside the project: `.create-mcp-auth-staging-<pid>-<8 hex>`. The name is
 * fixed-length (a long project name cannot make it too long) and carries the pid of the run that owns it, so a later
 * run can tell one left by a run that was killed (SIGKILL, a crash, power loss) from one still in use.
 */
const PREFIX = ".create-mcp-auth-staging-";
const PATTERN = /^\.create-mcp-auth-staging-([1-9]\d{0,9})-[0-9a-f]{8}$/;

export function stagingPathFor(parent: string, pid = process.pid): string {
  return path.join(parent, `${PREFIX}${pid}-${randomHex8()}`);
}

/** Not a secret, only unlikely to repeat; `node:crypto` would cost a scaffold ~8 ms of loading for nothing else. */
function randomHex8(): string {
  return Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, "0");
}

/** The pid a staging directory's name records, or undefined when the name is not one of ours. */
export function stagingOwner(name: string): number | undefined {
  const match = PATTERN.exec(name);
  return match ? Number(match[1]) : undefined;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH"; // EPERM: alive, someone else's
  }
}

/**
 * Removes staging directories in `parent` left by runs that no longer exist: only a real directory (never a link or a
 * file), named as ours, owned by this user, whose pid is not running. Anything else is left alone; errors are ignored
 * (sweeping is a courtesy, never a reason to fail).
 */
export function sweepStaleStaging(parent: string): string[] {
  const swept: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return swept;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = stagingOwner(name);
    if (pid === undefined || isAlive(pid)) continue;
    const full = path.join(parent, name);
    try {
      const stat = fs.lstatSync(full);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      fs.rmSync(full, { recursive: true, force: true });
      swept.push(full);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return swept;
}

const WRITE_PROBLEMS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  ENAMETOOLONG: "a path is too long",
};

/** A file-system error while writing the project, as a failure that says where and what to do (exit 1). */
export function writeFailure(error: unknown, directory: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why = code ? WRITE_PROBLEMS[code] : undefined;
  if (!why) return error;
  return new StepError(
    `Cannot create the project in "${directory}": ${why} (${code} at ${(error as NodeJS.ErrnoException).path ?? directory}). ` +
      "Choose a directory you can write to, or fix its permissions, and run again; nothing was left behind.",
    "not_writable",
  );
}
