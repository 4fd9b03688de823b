import { resourceModule } from "../resources/index.js";
import type { CloudRun } from "../resources/types.js";
import { asStepFailure } from "../report/step-failure.js";
import { currentSetting, writeSetting } from "../project/settings.js";
import { followSignInPath } from "./sign-in-path.js";

/**
 * Finds or creates everything the Plan lists for before a deploy, in its order, after copying settings from the
 * environment into the project. Every step is recorded as it happens, so a failure leaves a state a rerun converges from.
 */
export async function provisionProject(run: CloudRun): Promise<void> {
  const { plan, access, ledger } = run;
  try {
    if (access.cloudflare && ledger.state.accountId !== access.cloudflare.accountId) {
      ledger.state.accountId = access.cloudflare.accountId;
      ledger.save();
    }
    for (const [name, value] of access.values) {
      const setting = plan.settings.find((s) => s.name === name)!;
      if (currentSetting(plan, name) !== value) writeSetting(plan, name, value, setting.secret ?? false);
    }
    if (access.workos) followSignInPath(plan);
    // Each resource of a cloud this run can reach (a Node project's provision has no Cloudflare credentials).
    const reachable = { cloudflare: Boolean(access.cloudflare), workos: Boolean(access.workos), github: false, local: true };
    for (const resource of plan.resources) {
      const provision = resourceModule(resource.kind)!.provision;
      if (provision && reachable[resource.provider]) await provision(run, resource);
    }
  } catch (error) {
    run.progress.fail("Provisioning stopped");
    throw asStepFailure(error, "provision");
  }
}
