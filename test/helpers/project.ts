import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { expect } from "vitest";
import { onlyJson, runCli } from "./cli.js";

/** Runs a script of a generated project and fails the test with its output when it fails. */
export async function projectScript(projectDir: string, script: string, env: Record<string, string> = {}) {
  const result = await execa("npm", ["run", "--silent", script], {
    cwd: projectDir,
    reject: false,
    all: true,
    stdin: "ignore",
    env: { WRANGLER_SEND_METRICS: "false", ...env },
  });
  expect(result.exitCode, `npm run ${script} in ${projectDir}:\n${result.all}`).toBe(0);
  return result;
}

/** Generates a project with the built CLI, non-interactively, as CI pipelines do; install included unless told. */
export async function generate(parent: string, name: string, flags: string[]) {
  const result = await runCli([name, "--no-git", "--json", ...flags], { cwd: parent, env: { CI: "true" } });
  expect(result.exitCode, result.stderr).toBe(0);
  const json = onlyJson(result.stdout);
  expect(json.ok).toBe(true);
  const dir = path.join(parent, name);
  return { dir, json, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
