import path from "node:path";
import type { CreateFlags } from "../options/types.js";
import { parseTools } from "../options/validate.js";
import type { Plan, StepName } from "../plan/types.js";
import { layerOf } from "./describe-plan.js";

export type StepStatus = "done" | "skipped" | "failed";
export type Command = "create" | "provision" | "deploy" | "destroy";

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
  /** The project's files; a dry run also says where each comes from (`layer`: the template layer, `source`: under templates/). */
  files: string[] | { path: string; layer: string; source: string }[];
  steps: { name: StepName; status: StepStatus }[];
  resources: { kind: string; name: string; id: string | null; action: "created" | "reused" | "skipped" | "deleted" }[];
  url: string | null;
  nextSteps: string[];
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
  const { options } = plan;
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
          files: plan.files.map((f) => ({ path: f.path, layer: layerOf(plan, f), source: f.source })),
          resources: plan.resources.map((r) => ({ kind: r.kind, name: r.name, id: null, action: "skipped" as const })),
        }
      : {}),
  });
}

export function markStep(result: RunResult, name: StepName, status: StepStatus): void {
  const step = result.steps.find((s) => s.name === name);
  if (step) step.status = status;
}
