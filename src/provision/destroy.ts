import { CancelledError, UsageError } from "../errors.js";
import { resolveCloudAccess, type AccessAsker } from "../options/cloud-access.js";
import type { ProjectPlan } from "../plan/types.js";
import type { Progress } from "../report/progress.js";
import { reportResource, type RunResult } from "../report/result.js";
import { asStepFailure } from "../report/step-failure.js";
import { resourceModule, teardownRank } from "../resources/index.js";
import { openCloudRun } from "./cloud-run.js";
import { readState, removeResource, STATE_FILE } from "../cloud/state.js";

/**
 * Deletes exactly what the state file lists as created by this project, and nothing else; what it found already there
 * (created: false) is left alone. The order is each kind's teardown rank: what depends on something goes first. Asks
 * first; -y answers for CI; non-interactive without -y is a usage error.
 */
export async function destroyProject(plan: ProjectPlan, asker: AccessAsker, yes: boolean, progress: Progress, result: RunResult): Promise<void> {
  const state = readState(plan.project.projectDir);
  const owned = state.resources.filter((r) => r.created);
  const kept = state.resources.filter((r) => !r.created);
  if (!yes && !asker.interactive) {
    throw new UsageError(`destroy deletes what ${STATE_FILE} lists (${owned.length} resource${owned.length === 1 ? "" : "s"} made by this project); pass -y (--yes) to confirm in a non-interactive run.`, "confirmation_required");
  }
  if (state.resources.length === 0) {
    progress.info(`Nothing to delete: ${STATE_FILE} lists no resources.`);
    return;
  }

  if (!yes) {
    const listing = owned.map((r) => `  - ${r.kind} ${r.name}${r.id && r.id !== r.name ? ` (${r.id})` : ""}`).join("\n");
    asker.prompter.note(`${listing || "  (none made by this project)"}${kept.length ? `\nLeft alone (they existed before): ${kept.map((r) => r.name).join(", ")}` : ""}`, "create-mcp-auth destroy will delete");
    const confirmed = await asker.prompter.confirm({ message: "Delete these now? This cannot be undone.", initialValue: false }).catch((error: unknown) => {
      if (error instanceof CancelledError) return false;
      throw error;
    });
    if (!confirmed) throw new CancelledError("Nothing deleted.");
  }

  const kinds = owned.map((r) => r.kind);
  const needs = { cloudflare: kinds.some((k) => k.startsWith("cloudflare.")), workos: kinds.some((k) => k.startsWith("workos.")), settings: false };
  // The account the state file recorded is where its resources are.
  const accountId = state.accountId ?? asker.accountId;
  const access = await resolveCloudAccess(plan, needs, { ...asker, ...(accountId ? { accountId } : {}) }, "`create-mcp-auth destroy`", "destroy");
  const run = openCloudRun(plan, access, progress, result);
  const sorted = [...owned].sort((a, b) => teardownRank(a.kind) - teardownRank(b.kind));
  try {
    for (const resource of sorted) {
      const module = resourceModule(resource.kind);
      progress.start(`Deleting ${resource.kind} ${resource.name}`);
      await module?.remove?.(run, resource);
      removeResource(run.ledger.state, resource.kind, resource.name);
      run.ledger.save();
      module?.forget?.(plan, resource);
      reportResource(result, resource.kind, resource.name, resource.id, "deleted");
      progress.done(`Deleted ${resource.kind} ${resource.name}`);
    }
  } catch (error) {
    progress.fail("Destroy stopped");
    throw asStepFailure(error, "destroy");
  }
  for (const resource of kept) {
    removeResource(run.ledger.state, resource.kind, resource.name);
    reportResource(result, resource.kind, resource.name, resource.id, "skipped");
  }
  run.ledger.state.url = null;
  run.ledger.save();
  if (kept.length > 0) progress.info(`Left alone (they existed before this project): ${kept.map((r) => `${r.kind} ${r.name}`).join(", ")}`);
}
