import { resourceModule } from "../resources/index.js";
import type { CloudRun } from "../resources/types.js";
import { asStepFailure } from "../report/step-failure.js";

/**
 * Workers: deploys the Plan's Worker (its module uploads the secrets and runs `wrangler deploy`), then lets every resource
 * that acts once deployed do so with the URL: the sign-in client's `<url>/callback`, AuthKit's Resource Indicator, the
 * GitHub manual step. Answers the deployed origin.
 */
export async function deployWorkers(run: CloudRun): Promise<string> {
  try {
    const workerResource = run.plan.resources.find((r) => r.kind === "cloudflare.worker")!;
    const url = await resourceModule(workerResource.kind)!.deploy!(run, workerResource);
    for (const resource of run.plan.resources) {
      const afterDeploy = resourceModule(resource.kind)!.afterDeploy;
      const reachable = resource.provider !== "workos" || run.access.workos;
      if (afterDeploy && reachable) await afterDeploy(run, resource, url);
    }
    return url;
  } catch (error) {
    run.progress.fail("Deploy stopped");
    throw asStepFailure(error, "deploy");
  }
}
