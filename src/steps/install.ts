import { execa } from "execa";
import { catalog } from "../catalog/index.js";
import { StepError } from "../errors.js";
import { stopIfChildInterrupted } from "../interrupt.js";
import { childEnv } from "./child-env.js";
import type { PackageManagerName } from "../options/validate.js";

/**
 * Runs `<pm> install` in the project; on failure the project stays and the message says how to retry. Dependencies'
 * install scripts run with it, so it gets no credential or secret (a private registry's own token is npm's, and stays).
 */
export async function installDependencies(projectDir: string, packageManager: PackageManagerName): Promise<void> {
  const result = await execa(packageManager, ["install"], {
    cwd: projectDir,
    reject: false,
    all: true,
    stdin: "ignore",
    extendEnv: false,
    env: childEnv(catalog, process.env, { npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" }),
  });
  stopIfChildInterrupted(result);
  if (result.failed) {
    const tail = (result.all ?? "").trim().split("\n").slice(-15).join("\n");
    const reason = result.code === "ENOENT" ? `${packageManager} was not found on PATH` : `\n${tail}`;
    throw new StepError(
      `Installing dependencies with ${packageManager} failed: ${reason}\nThe project is complete; run \`${packageManager} install\` inside it to retry.`,
      "install_failed",
    );
  }
}
