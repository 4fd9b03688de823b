import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package root: one level above src/ (sources under vitest) or dist/ (the built CLI). */
const packageRoot = new URL("../", import.meta.url);

export const TEMPLATES_ROOT = fileURLToPath(new URL("templates/", packageRoot));

export const CLI_VERSION: string = JSON.parse(readFileSync(new URL("package.json", packageRoot), "utf8")).version;
