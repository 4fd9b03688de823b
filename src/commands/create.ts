import * as clack from "@clack/prompts";
import { catalog } from "../catalog/index.js";
import { UsageError } from "../errors.js";
import { isInteractive } from "../options/interactive.js";
import { clackPrompter } from "../options/prompter.js";
import { resolveCreateOptions } from "../options/resolve.js";
import type { CreateFlags } from "../options/types.js";
import { CLI_VERSION, TEMPLATES_ROOT } from "../paths.js";
import { createPlan } from "../plan/plan.js";
import { readTemplateTree } from "../render/template-tree.js";
import { writeProject } from "../render/write-project.js";
import { describePlan } from "../report/describe-plan.js";
import { createProgress } from "../report/progress.js";
import { applyPlan, markStep, type RunResult } from "../report/result.js";
import { initGitRepository } from "../steps/git.js";
import { installDependencies } from "../steps/install.js";

/** argv → options → plan → render → install → (provision) → git → (deploy) → summary. Fills `result` as it goes. */
export async function runCreate(directoryArg: string | undefined, flags: CreateFlags, result: RunResult): Promise<void> {
  if (flags.provision || flags.deploy) {
    throw new UsageError(
      `${flags.deploy ? "--deploy" : "--provision"} is not available yet in create-mcp-auth ${CLI_VERSION}: create the project without it and set up cloud resources by hand (its README lists them).`,
      "not_available",
    );
  }
  const interactive = isInteractive(flags, process.env, Boolean(process.stdin.isTTY));
  const tty = Boolean(process.stdout.isTTY);
  if (interactive) clack.intro("create-mcp-auth");

  // 1. Options: flags, then prompts for what they did not answer.
  const options = await resolveCreateOptions(directoryArg, flags, {
    interactive,
    yes: flags.yes ?? false,
    prompter: clackPrompter,
    catalog,
    cwd: process.cwd(),
    env: process.env,
  });

  // 2. Plan.
  const plan = createPlan(options, {
    catalog,
    templateTree: readTemplateTree(TEMPLATES_ROOT),
    cliVersion: CLI_VERSION,
    cwd: process.cwd(),
  });
  applyPlan(result, plan);
  if (options.dryRun) {
    if (!options.json) process.stdout.write(`${describePlan(plan)}\n`);
    result.ok = true;
    return;
  }

  const progress = createProgress({ json: options.json, tty });

  // 3. Render (all or nothing).
  writeProject(plan, TEMPLATES_ROOT);
  markStep(result, "render", "done");
  progress.done(`Created ${plan.files.length} files in ${options.projectDir}`);

  // 4. Install.
  if (options.install) {
    progress.start(`Installing dependencies with ${options.packageManager}`);
    try {
      await installDependencies(options.projectDir, options.packageManager);
    } catch (error) {
      markStep(result, "install", "failed");
      progress.fail("Installing dependencies failed");
      throw error;
    }
    markStep(result, "install", "done");
    progress.done("Dependencies installed");
  }

  // 5. Provision: arrives with --provision.

  // 6. Git.
  if (options.git) {
    const outcome = await initGitRepository(options.projectDir);
    markStep(result, "git", outcome.status);
    if (outcome.status === "done") progress.done("Created a git repository with a first commit");
    else progress.warn(`Git: ${outcome.reason}; the project is complete without it.`);
  }

  // 7. Deploy: arrives with --deploy.

  // 8. Summary.
  result.ok = true;
  const summary = `Next steps:\n${result.nextSteps.map((s) => `  ${s}`).join("\n")}`;
  if (interactive) clack.outro(summary);
  else progress.info(summary);
}
