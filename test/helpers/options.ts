import path from "node:path";
import type { CreateOptions } from "../../src/options/types.js";

/** A complete set of options for plan/render tests; override what the test is about. */
export function optionsFor(overrides: Partial<CreateOptions> = {}): CreateOptions {
  const directory = overrides.directory ?? "my-server";
  return {
    directory,
    projectDir: path.resolve("/work/projects", directory),
    packageName: "my-server",
    template: "authless",
    target: "workers",
    authMode: null,
    tools: ["whoami"],
    install: true,
    git: true,
    packageManager: "npm",
    dryRun: false,
    json: false,
    force: false,
    ...overrides,
  };
}
