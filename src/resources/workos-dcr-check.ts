import { providerResource } from "../catalog/index.js";
import { currentSetting } from "../project/settings.js";
import { reportResource } from "../report/result.js";
import type { DcrCheckResource, ResourceModule } from "./types.js";

const DCR_MANUAL_STEP =
  "One manual step: in the WorkOS dashboard, Connect → Configuration, turn on Dynamic Client Registration (no API offers it), so MCP clients can register; then rerun `create-mcp-auth provision` to check.";

/** Direct mode: Dynamic Client Registration is a dashboard toggle with no API, so it is checked and, when off, the step printed. */
export const workosDcrCheck: ResourceModule<DcrCheckResource> = {
  kind: "workos.dcr_check",
  plan: (project) =>
    providerResource(project.template, project.project.authMode, "workos.dcr_check")
      ? [
          {
            kind: "workos.dcr_check",
            name: "Dynamic Client Registration",
            domainSetting: "AUTHKIT_DOMAIN",
            provider: "workos",
            stage: "provision",
            description: "checked only: turned on in the WorkOS dashboard (no API), so MCP clients can register",
          },
        ]
      : [],
  async provision(run, resource) {
    const domain = run.access.values.get(resource.domainSetting) ?? currentSetting(run.plan, resource.domainSetting);
    if (!domain) return;
    const on = await run.access.workos!.api.dcrEnabled(domain);
    reportResource(run.result, resource.kind, resource.name, null, on ? "reused" : "skipped");
    if (on) run.progress.done("AuthKit advertises Dynamic Client Registration");
    else {
      run.progress.warn(DCR_MANUAL_STEP);
      if (!run.result.nextSteps.includes(DCR_MANUAL_STEP)) run.result.nextSteps.push(DCR_MANUAL_STEP);
    }
  },
};
