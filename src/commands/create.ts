import * as clack from "@clack/prompts";
import { catalog } from "../catalog/index.js";
import { isInteractive } from "../options/interactive.js";
import { olderNodeWarning } from "../options/node-version.js";
import { clackPrompter } from "../options/prompter.js";
import { resolveCreateOptions } from "../options/resolve.js";
import type { CreateFlags } from "../options/types.js";
import { CLI_VERSION, TEMPLATES_ROOT } from "../paths.js";
import { onInterrupt } from "../interrupt.js";
import { createPlan, nextStepsAfterInterrupt } from "../plan/plan.js";
import type { StepName } from "../plan/types.js";
import { readTemplateTree } from "../render/template-tree.js";
import { writeProject } from "../render/write-project.js";
import { describePlan } from "../report/describe-plan.js";
import { createProgress } from "../report/progress.js";
import { applyPlan, echoGiven, markStep, type RunResult } from "../report/result.js";
import { initGitRepository } from "../steps/git.js";
import { installDependencies } from "../steps/install.js";
import { deployWorkers } from "../deploy/deploy.js";
import { provisionProject } from "../provision/provision.js";
import { step as runStep } from "../provision/command-session.js";
import { nodeDeploySteps, reportDeployed } from "./deploy.js";
import { prepareCloud, resolveCloudChoice } from "../provision/create-step.js";

/** argv → options → plan → render → install → (provision) → git → (deploy) → summary. Fills `result` as it goes. */
export async function runCreate(directoryArg: string | undefined, flags: CreateFlags, result: RunResult): Promise<void> {
  const interactive = isInteractive(flags, process.env, Boolean(process.stdin.isTTY));
  const tty = Boolean(process.stdout.isTTY);
  if (interactive) clack.intro("create-mcp-auth");

  // 1. Options: flags, then prompts for what they did not answer.
  echoGiven(result, directoryArg, flags, process.cwd());
  const options = await resolveCreateOptions(directoryArg, flags, {
    interactive,
    yes: flags.yes ?? false,
    prompter: clackPrompter,
    catalog,
    cwd: process.cwd(),
    env: process.env,
  });

  // 1b. Provision and deploy: flags, else asked (after listing what would be created), else no.
  Object.assign(options, await resolveCloudChoice(options, flags, { interactive, catalog }));

  const progress = createProgress({ json: options.json, tty });
  const target = catalog.targets.find((t) => t.id === options.target)!;
  const tooOld = olderNodeWarning(target, process.versions.node);
  if (tooOld) progress.warn(tooOld);

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

  // Credentials, the Cloudflare account and settings are resolved before anything is written or created.
  const cloud = options.provision ? await prepareCloud(options, flags, { interactive, progress, result, catalog }) : undefined;

  // 3. Render (all or nothing).
  await writeProject(plan, TEMPLATES_ROOT);
  markStep(result, "render", "done");
  progress.done(`Created ${plan.files.length} files in ${options.projectDir}`);
  let running: StepName = "install";
  onInterrupt(() => {
    const steps = nextStepsAfterInterrupt(plan, running, process.cwd());
    return `The project is in ${options.projectDir}; to finish it:\n${steps.map((s) => `  ${s}`).join("\n")}`;
  });

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

  // 5. Provision.
  running = "provision";
  const ledger = cloud ? await runStep(result, "provision", () => provisionProject(cloud.session, cloud.prepared)) : undefined;

  // 6. Git.
  running = "git";
  if (options.git) {
    const outcome = await initGitRepository(options.projectDir);
    markStep(result, "git", outcome.status);
    if (outcome.status === "done") progress.done("Created a git repository with a first commit");
    else progress.warn(`Git: ${outcome.reason}; the project is complete without it.`);
  }

  // 7. Deploy.
  running = "deploy";
  if (cloud && ledger && options.deploy) {
    if (cloud.session.project.workers) reportDeployed(cloud.session, await runStep(result, "deploy", () => deployWorkers(cloud.session, cloud.prepared, ledger)));
    else result.nextSteps.push(...nodeDeploySteps(options));
  }

  // 8. Summary.
  result.ok = true;
  const summary = `Next steps:\n${result.nextSteps.map((s) => `  ${s}`).join("\n")}`;
  if (interactive) clack.outro(summary);
  else progress.info(summary);
}
