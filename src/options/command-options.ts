import { UsageError } from "../errors.js";
import { planFromStamp } from "../plan/from-stamp.js";
import type { ProjectPlan } from "../plan/types.js";
import type { AccessAsker } from "./cloud-access.js";
import type { OptionsContext } from "./create-run.js";
import { refuseEmptyValues } from "./empty-values.js";
import { isInteractive } from "./interactive.js";
import type { CreateFlags, ProjectChoices } from "./types.js";
import { validateWorkosClient } from "./validate.js";

export type CloudCommand = "provision" | "deploy" | "destroy" | "agents";

/** provision / deploy / destroy, finished: the Plan of the project in the current directory and who answers. */
export interface CommandRun {
  plan: ProjectPlan;
  json: boolean;
  /** -y: answers destroy's confirmation. */
  yes: boolean;
  asker: AccessAsker;
}

export function resolveCommandRun(command: CloudCommand, flags: CreateFlags, context: OptionsContext): CommandRun {
  refuseEmptyValues(undefined, flags, context.catalog);
  const plan = planFromStamp(context.cwd, context.catalog, command, (choices) => withWorkosClient(choices, command, flags.workosClient, context));
  const interactive = isInteractive(flags, context.env, context.stdinIsTTY);
  return {
    plan,
    json: flags.json ?? false,
    yes: flags.yes ?? false,
    asker: { interactive, prompter: context.prompter, env: { ...context.env }, ...(flags.accountId ? { accountId: flags.accountId } : {}) },
  };
}

/**
 * --workos-client on provision / deploy switches the project's sign-in path; provisioning then rewrites the stamp, the
 * settings and `secrets.required` to match (after credentials are checked, so a usage error changes nothing).
 */
function withWorkosClient(choices: ProjectChoices, command: CloudCommand, value: string | undefined, context: OptionsContext): ProjectChoices {
  if (value === undefined) return choices;
  if (command === "destroy" || command === "agents") throw new UsageError(`${command} does not change how people sign in; --workos-client belongs to provision and deploy.`);
  const template = context.catalog.templates.find((t) => t.id === choices.template)!;
  const problem = validateWorkosClient(value, template, choices.authMode);
  if (problem) throw new UsageError(problem);
  const { workosClient: _previous, ...rest } = choices;
  return { ...rest, ...(value === "environment" ? { workosClient: "environment" as const } : {}) };
}
