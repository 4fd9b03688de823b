import { deployWorkers } from "../deploy/deploy.js";
import { provisionNeeds, resolveCloudAccess } from "../options/cloud-access.js";
import type { CreateFlags } from "../options/types.js";
import type { ProjectPlan } from "../plan/types.js";
import { openCloudRun } from "../provision/cloud-run.js";
import { provisionProject } from "../provision/provision.js";
import { connectLines, nodeDeploySteps, printNextSteps } from "../report/next-steps.js";
import { runStep, type RunResult } from "../report/result.js";
import type { CloudRun } from "../resources/types.js";
import { startCloudCommand } from "./cloud-context.js";

/** `create-mcp-auth deploy`, inside a generated project: provisions (a no-op when nothing changed), then deploys. */
export async function runDeploy(flags: CreateFlags, result: RunResult): Promise<void> {
  const { plan, asker, progress } = await startCloudCommand("deploy", flags, result, ["provision", "deploy"]);
  const run = await runStep(result, "provision", async () => {
    const access = await resolveCloudAccess(plan, provisionNeeds(plan, true), asker, "`create-mcp-auth deploy`", "deploy");
    const run = openCloudRun(plan, access, progress, result);
    await provisionProject(run);
    return run;
  });
  await deployStep(run);
  result.ok = true;
  printNextSteps(progress, result.nextSteps);
}

/** Deploys a Worker (and reports how to connect), or says how a Node project is run. */
export async function deployStep(run: CloudRun): Promise<void> {
  if (run.plan.workers) reportDeployed(run.plan, run.result, await runStep(run.result, "deploy", () => deployWorkers(run)));
  else run.result.nextSteps.push(...nodeDeploySteps(run.plan.project.packageName));
}

function reportDeployed(plan: ProjectPlan, result: RunResult, url: string): void {
  result.url = url;
  result.nextSteps.push(...connectLines(plan.project.packageName, `${url}/mcp`));
}
