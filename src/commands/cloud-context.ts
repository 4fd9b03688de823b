import { catalog } from "../catalog/index.js";
import { resolveCommandRun, type CloudCommand, type CommandRun } from "../options/command-options.js";
import { clackPrompter, loadClack } from "../options/prompter.js";
import type { CreateFlags } from "../options/types.js";
import { onInterrupt } from "../interrupt.js";
import type { StepName } from "../plan/types.js";
import { readState } from "../cloud/state.js";
import { createProgress, type Progress } from "../report/progress.js";
import { applyProjectPlan, type RunResult } from "../report/result.js";
import { howToResume } from "../report/step-failure.js";

/** What provision, deploy and destroy share: options from the project's stamp, the result's shape, progress. */
export async function startCloudCommand(command: CloudCommand, flags: CreateFlags, result: RunResult, steps: StepName[]): Promise<CommandRun & { progress: Progress }> {
  await loadClack(); // these commands may ask (destroy confirms), and their frame and notes are clack's
  const run = resolveCommandRun(command, flags, { catalog, prompter: clackPrompter, cwd: process.cwd(), env: process.env, stdinIsTTY: () => Boolean(process.stdin.isTTY) });
  applyProjectPlan(result, run.plan, steps, readState(run.plan.project.projectDir).url);
  onInterrupt(() => `The project is in ${run.plan.project.projectDir}. ${howToResume(command)}`);
  return { ...run, progress: await createProgress({ json: run.json, tty: Boolean(process.stdout.isTTY) }) };
}
