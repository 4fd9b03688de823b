import type { CloudAccess } from "../options/cloud-access.js";
import type { ProjectPlan } from "../plan/types.js";
import type { Progress } from "../report/progress.js";
import { reportResource, type RunResult } from "../report/result.js";
import type { CloudRun } from "../resources/types.js";
import type { Ledger } from "../cloud/find-or-create.js";
import { readState, writeState } from "../cloud/state.js";

/** A provision / deploy / destroy run over the project's state file (saved after every change) and the run's report. */
export function openCloudRun(plan: ProjectPlan, access: CloudAccess, progress: Progress, result: RunResult): CloudRun {
  const dir = plan.project.projectDir;
  const state = readState(dir);
  const ledger: Ledger = {
    state,
    save: () => writeState(dir, state),
    report: (kind, name, id, action) => reportResource(result, kind, name, id, action),
  };
  return { plan, access, ledger, progress, result };
}
