import { providerResource } from "../catalog/index.js";
import { registerSecret } from "../net/redact.js";
import { findResource, recordResource } from "../cloud/state.js";
import { secretValue, writeSetting } from "../project/settings.js";
import { reportResource } from "../report/result.js";
import type { ClientSecretResource, ResourceModule } from "./types.js";

/**
 * The application's client secret. WorkOS shows it once, at creation: it is kept in the git-ignored file, and a new one is
 * made when the application is new or the file has lost it.
 */
export const workosClientSecret: ResourceModule<ClientSecretResource> = {
  kind: "workos.client_secret",
  plan: (project) => {
    const app = providerResource(project.template, project.project.authMode, "workos.oauth_application");
    if (!app || project.project.workosClient === "environment") return [];
    return [
      {
        kind: "workos.client_secret",
        name: `${project.project.packageName} client secret`,
        setting: app.clientSecretSetting,
        provider: "workos",
        stage: "provision",
        description: `its client secret, kept in ${app.clientSecretSetting} (.dev.vars / .env, never in git)`,
      },
    ];
  },

  async provision(run, resource) {
    const app = run.application!;
    const known = findResource(run.ledger.state, resource.kind, resource.name);
    if (app.action === "reused" && secretValue(run.plan, resource.setting)) {
      reportResource(run.result, resource.kind, resource.name, known?.id ?? null, "reused");
      return;
    }
    const secret = await run.access.workos!.api.createClientSecret(app.id, run.plan.project.packageName);
    registerSecret(secret.secret);
    writeSetting(run.plan, resource.setting, secret.secret, true);
    recordResource(run.ledger.state, { kind: resource.kind, name: resource.name, id: secret.id, created: true, details: { application: app.id } });
    run.ledger.save();
    reportResource(run.result, resource.kind, resource.name, secret.id, "created");
  },
  // Deleted with its application, which goes first.
  teardown: 41,
};
