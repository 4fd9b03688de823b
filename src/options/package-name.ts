import path from "node:path";

/** Worker names allow at most 63 characters; npm names allow more, so the Worker limit decides. */
const MAX_NAME_LENGTH = 63;

/**
 * The npm package name (and Worker name) for a project directory: its last segment, lowercased,
 * whitespace → "-", anything but a–z, 0–9 and "-" dropped. Returns "" when nothing valid remains.
 */
export function packageNameFor(projectDir: string): string {
  return path
    .basename(path.resolve(projectDir))
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^a-z0-9-]/g, "")
    .replace(/-+/g, "-")
    .slice(0, MAX_NAME_LENGTH)
    .replace(/^-+|-+$/g, "");
}
