import fs from "node:fs";
import path from "node:path";

/** Every file under the templates root, as sorted "/"-separated paths relative to it. */
export function readTemplateTree(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}
