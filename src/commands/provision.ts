import { provisionNeeds, resolveCloudAccess } from "../options/cloud-access.js";
import type { CreateFlags } from "../options/types.js";
import { openCloudRun } from "../provision/cloud-run.js";
import { provisionProject } from "../provision/provision.js";
import { afterProvisionSteps, printNextSteps } from "../report/next-steps.js";
import { runStep, type RunResult } from "../report/result.js";
import { startCloudCommand } from "./cloud-context.js";

/** `create-mcp-auth provision`, inside a generated project: finds or creates its cloud resources. */
export async function runProvision(flags: CreateFlags, result: RunResult): Promise<void> {
  const { plan, asker, progress } = await startCloudCommand("provision", flags, result, ["provision"]);
  await runStep(result, "provision", async () => {
    const access = await resolveCloudAccess(plan, provisionNeeds(plan, false), asker, "`create-mcp-auth provision`");
    await provisionProject(openCloudRun(plan, access, progress, result));
  });
  result.ok = true;
  result.nextSteps.push(...afterProvisionSteps(plan));
  printNextSteps(progress, result.nextSteps);
}
