import { catalog } from "../catalog/index.js";
import { isInteractive } from "../options/interactive.js";
import { refuseEmptyValues } from "../options/empty-values.js";
import type { CreateFlags } from "../options/types.js";
import { UsageError } from "../errors.js";
import { validateWorkosClient } from "../options/validate.js";
import { loadProject, projectFrom, type Project } from "./project.js";
import { onInterrupt } from "../interrupt.js";
import { howToResume, type CloudSession } from "./session.js";
import { readState } from "./state.js";
import { createProgress } from "../report/progress.js";
import type { RunResult, StepStatus } from "../report/result.js";
import type { StepName } from "../plan/types.js";

/** What `provision`, `deploy` and `destroy` share: the project in the current directory, a session, the result's shape. */
export function cloudSession(command: "provision" | "deploy" | "destroy", flags: CreateFlags, result: RunResult, steps: StepName[]): CloudSession {
  refuseEmptyValues(undefined, flags, catalog);
  const project: Project = withWorkosClient(loadProject(process.cwd(), catalog, command), command, flags.workosClient);
  const json = flags.json ?? false;
  Object.assign(result, {
    directory: project.dir,
    packageName: project.name,
    template: project.options.template,
    authMode: project.options.authMode,
    target: project.options.target,
    tools: project.options.tools,
    files: [],
    steps: steps.map((name) => ({ name, status: "skipped" as StepStatus })),
    url: readState(project.dir).url,
  });
  onInterrupt(() => `The project is in ${project.dir}. ${howToResume(command)}`);
  return {
    project,
    interactive: isInteractive(flags, process.env, Boolean(process.stdin.isTTY)),
    yes: flags.yes ?? false,
    // A copy: a credential typed at a prompt is kept here, never in process.env.
    env: { ...process.env },
    ...(flags.accountId ? { accountId: flags.accountId } : {}),
    progress: createProgress({ json, tty: Boolean(process.stdout.isTTY) }),
    result,
  };
}

/**
 * --workos-client on provision / deploy switches the project's sign-in path; provisioning then rewrites the stamp, the
 * settings and `secrets.required` to match (after credentials are checked, so a usage error changes nothing).
 */
function withWorkosClient(project: Project, command: string, value: string | undefined): Project {
  if (value === undefined) return project;
  if (command === "destroy") throw new UsageError("destroy deletes what the state file lists; --workos-client belongs to provision and deploy.");
  const problem = validateWorkosClient(value, project.template, project.options.authMode);
  if (problem) throw new UsageError(problem);
  const { workosClient: _previous, ...rest } = project.options;
  return projectFrom({ ...rest, ...(value === "environment" ? { workosClient: "environment" as const } : {}) }, catalog);
}

/** Runs one step, marking it done or failed in the result. */
export async function step<T>(result: RunResult, name: StepName, run: () => Promise<T>): Promise<T> {
  const entry = result.steps.find((s) => s.name === name);
  try {
    const value = await run();
    if (entry) entry.status = "done";
    return value;
  } catch (error) {
    if (entry) entry.status = "failed";
    throw error;
  }
}
