import { providerResource } from "../catalog/index.js";
import { readText, removeDotenv, setVar, writeText } from "../project/edits.js";
import { projectFiles, writeSetting } from "../project/settings.js";
import type { ApplicationResource, CloudRun, ResourceModule } from "./types.js";
import { resolveUrl } from "./types.js";

/** Proxy mode's own WorkOS OAuth application (first-party), through which people sign in; not with `--workos-client environment`. */
export const workosApplication: ResourceModule<ApplicationResource> = {
  kind: "workos.oauth_application",
  plan: (project) => {
    const app = providerResource(project.template, project.project.authMode, "workos.oauth_application");
    if (!app || project.project.workosClient === "environment") return [];
    const name = project.project.packageName;
    return [
      {
        kind: "workos.oauth_application",
        name,
        clientIdSetting: app.clientIdSetting,
        clientSecretSetting: app.clientSecretSetting,
        provider: "workos",
        stage: "provision",
        description: `WorkOS OAuth application "${name}" (first-party; people sign in through it), its id in ${app.clientIdSetting}`,
      },
    ];
  },

  /** Found by name or created with the redirect URIs known now (the Plan's, the deployed one once the state file has it). */
  async provision(run, resource) {
    run.progress.start(`WorkOS OAuth application ${resource.name}`);
    const app = await run.access.workos!.api.ensureApplication(run.ledger, resource.name, applicationRedirectUris(run));
    run.application = app;
    writeSetting(run.plan, resource.clientIdSetting, app.clientId, false);
    run.progress.done(`WorkOS OAuth application ${resource.name} (${app.clientId}) ${app.action}`);
  },

  teardown: 40,
  async remove(run, recorded) {
    await run.access.workos!.api.deleteApplication(recorded.id!, recorded.name);
  },
  /** Its client id and secret leave the project's settings. */
  forget(plan, recorded) {
    const app = plan.resources.find((r): r is ApplicationResource => r.kind === "workos.oauth_application" && r.name === recorded.name);
    const config = app ?? providerResource(plan.template, plan.project.authMode, "workos.oauth_application");
    if (!config) return;
    const files = projectFiles(plan);
    if (plan.workers) writeText(files.wrangler, setVar(readText(files.wrangler), config.clientIdSetting, ""));
    else writeText(files.secrets, removeDotenv(readText(files.secrets), config.clientIdSetting), true);
    writeText(files.secrets, removeDotenv(readText(files.secrets), config.clientSecretSetting), true);
  },
};

/** The application's redirect URIs this run can name: local development's, and the deployed one once known. */
function applicationRedirectUris(run: CloudRun): string[] {
  return run.plan.resources
    .filter((r) => r.kind === "workos.redirect_uri" && r.owner === "application")
    .map((r) => resolveUrl(r.name, run.ledger.state.url))
    .filter((uri): uri is string => uri !== undefined);
}
