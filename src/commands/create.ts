import { catalog } from "../catalog/index.js";
import { resolveCreateRun } from "../options/create-run.js";
import { olderNodeWarning } from "../options/node-version.js";
import { isInteractive } from "../options/interactive.js";
import { clackPrompter, loadClack } from "../options/prompter.js";
import type { CreateFlags } from "../options/types.js";
import { CLI_VERSION, TEMPLATES_ROOT } from "../paths.js";
import { onInterrupt } from "../interrupt.js";
import { createPlanFrom, nextStepsAfterInterrupt } from "../plan/plan.js";
import type { StepName } from "../plan/types.js";
import { readTemplateTree } from "../render/template-tree.js";
import { writeProject } from "../render/write-project.js";
import { describePlan } from "../report/describe-plan.js";
import { formatNextSteps } from "../report/next-steps.js";
import { createProgress } from "../report/progress.js";
import { applyPlan, echoGiven, markStep, runStep, type RunResult } from "../report/result.js";

/** argv → options → plan → render → install → (provision) → git → (deploy) → summary. Fills `result` as it goes. */
export async function runCreate(directoryArg: string | undefined, flags: CreateFlags, result: RunResult): Promise<void> {
  // 1. Options: flags, then prompts for what they did not answer, then whether to provision and deploy.
  echoGiven(result, directoryArg, flags, process.cwd());
  const stdinIsTTY = () => Boolean(process.stdin.isTTY);
  if (isInteractive(flags, process.env, stdinIsTTY)) await loadClack();
  const { options, project, interactive, asker } = await resolveCreateRun(directoryArg, flags, {
    catalog,
    prompter: clackPrompter,
    cwd: process.cwd(),
    env: process.env,
    stdinIsTTY,
  });

  const progress = await createProgress({ json: options.json, tty: Boolean(process.stdout.isTTY) });
  const tooOld = olderNodeWarning(catalog.targets.find((t) => t.id === options.target)!, process.versions.node);
  if (tooOld) progress.warn(tooOld);

  // 2. Plan.
  const plan = createPlanFrom(project, options, { catalog, templateTree: readTemplateTree(TEMPLATES_ROOT), cliVersion: CLI_VERSION, cwd: process.cwd() });
  applyPlan(result, plan);
  if (options.dryRun) {
    if (!options.json) process.stdout.write(`${describePlan(plan)}\n`);
    result.ok = true;
    return;
  }

  // Credentials, the Cloudflare account and settings are resolved before anything is written or created.
  const provisioning = options.provision ?? false;
  // Steps load when they run (execa, the cloud clients): a plain scaffold parses none of them.
  const cloudAccess = provisioning ? await import("../options/cloud-access.js") : undefined;
  const access = cloudAccess ? await cloudAccess.resolveCloudAccess(plan, cloudAccess.provisionNeeds(plan, options.deploy ?? false), asker, options.deploy ? "--deploy" : "--provision") : undefined;

  // 3. Render (all or nothing).
  await writeProject(plan, TEMPLATES_ROOT);
  markStep(result, "render", "done");
  progress.done(`Created ${plan.files.length} files in ${options.projectDir}`);
  let running: StepName = "install";
  onInterrupt(() => `The project is in ${options.projectDir}; to finish it:\n${nextStepsAfterInterrupt(plan, running, process.cwd()).map((s) => `  ${s}`).join("\n")}`);

  // 4. Install.
  if (options.install) {
    progress.start(`Installing dependencies with ${options.packageManager}`);
    try {
      const { installDependencies } = await import("../steps/install.js");
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
  const cloud = access ? { ...(await import("../provision/cloud-run.js")), ...(await import("../provision/provision.js")) } : undefined;
  const cloudRun = cloud && access ? cloud.openCloudRun(plan, access, progress, result) : undefined;
  if (cloud && cloudRun) await runStep(result, "provision", () => cloud.provisionProject(cloudRun));

  // 6. Git.
  running = "git";
  if (options.git) {
    const { initGitRepository } = await import("../steps/git.js");
    const outcome = await initGitRepository(options.projectDir);
    markStep(result, "git", outcome.status);
    if (outcome.status === "done") progress.done("Created a git repository with a first commit");
    else progress.warn(`Git: ${outcome.reason}; the project is complete without it.`);
  }

  // 7. Deploy.
  running = "deploy";
  if (cloudRun && options.deploy) await (await import("./deploy.js")).deployStep(cloudRun);

  // 8. Summary.
  result.ok = true;
  if (interactive) clackPrompter.outro(formatNextSteps(result.nextSteps));
  else progress.info(formatNextSteps(result.nextSteps));
}
