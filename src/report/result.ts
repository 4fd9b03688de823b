import path from "node:path";
import type { CreateFlags } from "../options/types.js";
import { parseTools } from "../options/validate.js";
import type { ResourceAction } from "../cloud/find-or-create.js";
import type { Plan, ProjectPlan, StepName } from "../plan/types.js";
import { layerOf } from "./describe-plan.js";

export type StepStatus = "done" | "skipped" | "failed";
export type Command = "create" | "provision" | "deploy" | "destroy" | "agents";

/** The one JSON object `--json` prints. */
export interface RunResult {
  ok: boolean;
  command: Command;
  directory: string | null;
  packageName: string | null;
  template: string | null;
  authMode: string | null;
  target: string | null;
  tools: string[];
  /** The project's files, relative to it. */
  files: string[];
  /** --dry-run only: where each file comes from (`layer`: the template layer, `source`: its path under templates/). */
  sources?: { path: string; layer: string; source: string }[];
  steps: { name: StepName; status: StepStatus }[];
  resources: { kind: string; name: string; id: string | null; action: ResourceAction }[];
  url: string | null;
  nextSteps: string[];
  /** `agents`: the agents of the project (never their secrets). */
  agents?: { name: string; clientId: string; organizationId: string; scopes: string[] }[];
  dryRun?: boolean;
  error?: { code: string; exitCode: number; message: string };
}

export function emptyResult(command: Command): RunResult {
  return {
    ok: false,
    command,
    directory: null,
    packageName: null,
    template: null,
    authMode: null,
    target: null,
    tools: [],
    files: [],
    steps: [],
    resources: [],
    url: null,
    nextSteps: [],
  };
}

/** What the person gave, before it is checked: a usage error's --json then says which values it was about. */
export function echoGiven(result: RunResult, directory: string | undefined, flags: CreateFlags, cwd: string): void {
  Object.assign(result, {
    ...(directory !== undefined ? { directory: directory.trim() === "" ? directory : path.resolve(cwd, directory) } : {}),
    ...(flags.template !== undefined ? { template: flags.template } : {}),
    ...(flags.authMode !== undefined ? { authMode: flags.authMode } : {}),
    ...(flags.target !== undefined ? { target: flags.target } : {}),
    ...(flags.tools !== undefined ? { tools: parseTools(flags.tools) } : {}),
  });
}

/** Fills in what the plan knows; steps start as "skipped" and are marked as they run. */
export function applyPlan(result: RunResult, plan: Plan): void {
  const options = { ...plan.project, ...plan.run };
  Object.assign(result, {
    directory: options.projectDir,
    packageName: options.packageName,
    template: options.template,
    authMode: options.authMode,
    target: options.target,
    tools: options.tools,
    files: plan.files.map((f) => f.path),
    steps: plan.steps.map((s) => ({ name: s.name, status: "skipped" as StepStatus })),
    nextSteps: plan.nextSteps,
    // A dry run lists what provisioning would find or create (nothing is: every one is "skipped"), and each file's layer.
    ...(options.dryRun
      ? {
          dryRun: true,
          sources: plan.files.map((f) => ({ path: f.path, layer: layerOf(plan, f), source: f.source })),
          resources: plan.resources.map((r) => ({ kind: r.kind, name: r.name, id: null, action: "skipped" as const })),
        }
      : {}),
  });
}

/** What provision / deploy / destroy fill in before they start: the project from its stamp, their steps as "skipped". */
export function applyProjectPlan(result: RunResult, plan: ProjectPlan, steps: StepName[], url: string | null): void {
  Object.assign(result, {
    directory: plan.project.projectDir,
    packageName: plan.project.packageName,
    template: plan.project.template,
    authMode: plan.project.authMode,
    target: plan.project.target,
    tools: plan.project.tools,
    files: [],
    steps: steps.map((name) => ({ name, status: "skipped" as StepStatus })),
    url,
  });
}

export function markStep(result: RunResult, name: StepName, status: StepStatus): void {
  const step = result.steps.find((s) => s.name === name);
  if (step) step.status = status;
}

/** Runs one step, marking it done or failed in the result. */
export async function runStep<T>(result: RunResult, name: StepName, run: () => Promise<T>): Promise<T> {
  try {
    const value = await run();
    markStep(result, name, "done");
    return value;
  } catch (error) {
    markStep(result, name, "failed");
    throw error;
  }
}

/** Adds a resource to `--json` resources, or updates the one of the same kind and name. */
export function reportResource(result: RunResult, kind: string, name: string, id: string | null, action: ResourceAction): void {
  const existing = result.resources.find((r) => r.kind === kind && r.name === name);
  // Found again later in the same run (provision made it, deploy checks it): it was still created by this run.
  if (existing) Object.assign(existing, { id, action: existing.action === "created" && action === "reused" ? "created" : action });
  else result.resources.push({ kind, name, id, action });
}
