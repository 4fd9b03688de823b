import type { Catalog } from "../catalog/index.js";
import { projectPlan } from "../plan/plan.js";
import type { ProjectPlan } from "../plan/types.js";
import type { AccessAsker } from "./cloud-access.js";
import { resolveCloudChoice } from "./cloud-choice.js";
import { isInteractive } from "./interactive.js";
import type { Prompter } from "./prompter.js";
import { resolveCreateOptions } from "./resolve.js";
import type { CreateFlags, CreateOptions } from "./types.js";

export interface OptionsContext {
  catalog: Catalog;
  prompter: Prompter;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: () => boolean;
}

/** A create run's options, finished: every choice answered, and the project's Plan (its resources were shown when asking). */
export interface CreateRun {
  options: CreateOptions;
  project: ProjectPlan;
  interactive: boolean;
  /** Who answers for credentials and the account, if this run provisions. */
  asker: AccessAsker;
}

/** Flags, then prompts for what they did not answer, then whether to provision and deploy. */
export async function resolveCreateRun(directoryArg: string | undefined, flags: CreateFlags, context: OptionsContext): Promise<CreateRun> {
  const interactive = isInteractive(flags, context.env, context.stdinIsTTY);
  if (interactive) context.prompter.intro("create-mcp-auth");
  const options = await resolveCreateOptions(directoryArg, flags, { ...context, interactive, yes: flags.yes ?? false });
  const project = projectPlan(options, context.catalog);
  Object.assign(options, await resolveCloudChoice(project, flags, { interactive, prompter: context.prompter, install: options.install, dryRun: options.dryRun }));
  return {
    options,
    project,
    interactive,
    // A copy of the environment: a credential typed at a prompt is kept there, never in process.env.
    asker: { interactive, prompter: context.prompter, env: { ...context.env }, ...(flags.accountId ? { accountId: flags.accountId } : {}) },
  };
}
