import fs from "node:fs";
import path from "node:path";

/** Most file systems allow at most 255 bytes per name. */
export const MAX_SEGMENT_BYTES = 255;

/** Names a project directory must not have: npm's own directory, and git's. */
const RESERVED = new Map([
  ["node_modules", "is where npm keeps installed packages"],
  [".git", "is git's own directory"],
]);

// C0 controls, DEL and C1 controls: they can rewrite what a terminal shows (escape sequences) or split lines.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * What makes a project directory unsafe or impossible to write, before anything is written (`undefined`: none).
 * `directory` is the absolute path. The rule: the target is the path as named (absolute or relative, `..` allowed,
 * as with create-vite); symbolic links among its parents are followed, as the shell does; the target itself must not
 * be a symbolic link (its files would land wherever the link points); each existing parent must be a directory.
 */
export function directoryProblem(directory: string): string | undefined {
  if (CONTROL.test(directory)) {
    return `The directory name contains control characters (${JSON.stringify(path.basename(directory))}): use letters, digits, spaces or dashes.`;
  }
  const tooLong = directory.split(path.sep).find((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES);
  if (tooLong !== undefined) {
    return `The name "${tooLong.slice(0, 40)}…" is ${Buffer.byteLength(tooLong)} bytes long; file systems allow at most ${MAX_SEGMENT_BYTES} bytes per name: choose a shorter one.`;
  }
  const name = path.basename(directory);
  const reserved = RESERVED.get(name.toLowerCase());
  if (reserved) return `"${name}" ${reserved}, so a project cannot go there: choose another name, e.g. my-mcp-server.`;

  const target = lstat(directory);
  if (target?.isSymbolicLink()) {
    return `"${directory}" is a symbolic link (to ${linkTarget(directory)}): name the directory it points to instead, or remove the link.`;
  }
  // The nearest existing parent decides where the files go: it must be a directory (a link to one is followed).
  for (let dir = path.dirname(directory); ; dir = path.dirname(dir)) {
    const stat = lstat(dir);
    if (stat) {
      if (stat.isSymbolicLink() && !fs.statSync(dir, { throwIfNoEntry: false })) {
        return `"${dir}" is a symbolic link to ${linkTarget(dir)}, which does not exist: create that directory, or choose another place.`;
      }
      if (!(stat.isSymbolicLink() ? fs.statSync(dir) : stat).isDirectory()) {
        return `"${dir}" is a file, not a directory, so nothing can be created inside it: choose another place.`;
      }
      return undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR and the like: a parent decides
  }
}

function linkTarget(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return "somewhere else";
  }
}
