import type { CreateFlags } from "../options/types.js";
import { destroyProject } from "../provision/destroy.js";
import { runStep, type RunResult } from "../report/result.js";
import { startCloudCommand } from "./cloud-context.js";

/** `create-mcp-auth destroy`, inside a generated project: deletes what its state file lists as created (asks; -y for CI). */
export async function runDestroy(flags: CreateFlags, result: RunResult): Promise<void> {
  const { plan, asker, yes, progress } = await startCloudCommand("destroy", flags, result, ["destroy"]);
  await runStep(result, "destroy", () => destroyProject(plan, asker, yes, progress, result));
  result.url = null;
  result.ok = true;
}
