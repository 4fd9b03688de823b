import { LOCAL_ORIGIN, providerResource } from "../catalog/index.js";
import { findResource } from "../cloud/state.js";
import { reportResource } from "../report/result.js";
import type { CloudRun, RedirectUriResource, ResourceModule } from "./types.js";
import { resolveUrl } from "./types.js";

/**
 * Where WorkOS sends people back after sign-in: `<origin>/callback` for local development and once deployed, on the server's
 * own application, or (`--workos-client environment`) on the environment's AuthKit client (/user_management/redirect_uris).
 */
export const workosRedirectUri: ResourceModule<RedirectUriResource> = {
  kind: "workos.redirect_uri",
  plan: (project) => {
    const app = providerResource(project.template, project.project.authMode, "workos.oauth_application");
    if (!app) return [];
    const environment = project.project.workosClient === "environment";
    const owner = environment ? `a redirect URI of the environment's AuthKit client (${app.environmentClientIdSetting}),` : "its redirect URI";
    const entry = (name: string, stage: "provision" | "deploy", when: string): RedirectUriResource => ({
      kind: "workos.redirect_uri",
      name,
      owner: environment ? "environment" : "application",
      provider: "workos",
      stage,
      description: `${owner} ${when}`,
    });
    return [
      entry(`${LOCAL_ORIGIN}${app.callbackPath}`, "provision", "for local development"),
      ...(project.workers ? [entry(`<url>${app.callbackPath}`, "deploy", "once deployed")] : []),
    ];
  },

  /** The deployed one too, when an earlier deploy put the URL in the state file. */
  async provision(run, resource) {
    const uri = resolveUrl(resource.name, run.ledger.state.url);
    if (uri) await register(run, resource, uri);
  },

  async afterDeploy(run, resource, url) {
    if (resource.stage !== "deploy") return;
    const uri = resolveUrl(resource.name, url)!;
    if (resource.owner === "application") {
      // Read afresh: the application may have changed since provisioning looked (or this run did not provision it).
      const app = findResource(run.ledger.state, "workos.oauth_application", run.plan.project.packageName);
      if (!app?.id) return;
      const info = await run.access.workos!.api.application(app.id, run.plan.project.packageName);
      run.application = { ...info, action: "reused" };
    }
    await register(run, resource, uri);
    run.progress.done(`Registered ${uri} with WorkOS`);
  },

  teardown: 31,
  /** Only the environment client's are recorded: an application's go with it. */
  async remove(run, recorded) {
    await run.access.workos!.api.deleteEnvironmentRedirectUri(recorded.id!, recorded.name);
  },
};

async function register(run: CloudRun, resource: RedirectUriResource, uri: string): Promise<void> {
  const api = run.access.workos!.api;
  if (resource.owner === "environment") {
    await api.ensureEnvironmentRedirectUri(run.ledger, uri);
    run.progress.done(`AuthKit redirect URI ${uri} (people sign in through the environment's client)`);
    return;
  }
  const app = run.application!;
  const had = app.action === "reused" && app.redirectUris.includes(uri);
  await api.addRedirectUris(app, [uri]);
  reportResource(run.result, resource.kind, uri, app.id, had ? "reused" : "created");
}
