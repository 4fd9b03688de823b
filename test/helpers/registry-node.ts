import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { expect } from "vitest";
import { REPO_ROOT } from "./cli.js";

/** A Node.js binary from the npm registry (the `node` package ships it), cached under .cache/ between runs. */
export async function nodeFromRegistry(version: string): Promise<string> {
  const prefix = path.join(REPO_ROOT, `.cache/node${version}`);
  const bin = path.join(prefix, "node_modules/node/bin/node");
  if (!fs.existsSync(bin)) {
    const result = await execa("npm", ["install", "--prefix", prefix, "--no-save", `node@${version}`], {
      cwd: REPO_ROOT,
      reject: false,
      stdin: "ignore",
      env: { npm_config_fund: "false", npm_config_audit: "false", CI: "true" },
    });
    expect(result.exitCode, result.stderr).toBe(0);
  }
  const reported = (await execa(bin, ["--version"])).stdout.trim();
  expect(reported === `v${version}` || reported.startsWith(`v${version}.`), reported).toBe(true);
  return bin;
}
