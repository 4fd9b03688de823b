import { providerResource } from "../catalog/index.js";
import type { OauthResourceResource, ResourceModule } from "./types.js";
import { resolveUrl } from "./types.js";

/**
 * AuthKit's Resource Indicator, the deployed server's /mcp URL, on Workers: the audience of its tokens in direct mode, and
 * of agents' client-credentials tokens in proxy mode (people's tokens there are the server's own).
 */
export const workosOauthResource: ResourceModule<OauthResourceResource> = {
  kind: "workos.oauth_resource",
  plan: (project) => {
    const config = providerResource(project.template, project.project.authMode, "workos.oauth_resource");
    if (!config || !project.workers) return [];
    return [
      {
        kind: "workos.oauth_resource",
        name: `<url>${config.path}`,
        provider: "workos",
        stage: "deploy",
        description:
          project.project.authMode === "proxy"
            ? "AuthKit Resource Indicator: the deployed server's URL, the audience of agents' client-credentials tokens"
            : "AuthKit Resource Indicator: the deployed server's URL, the audience of its tokens",
      },
    ];
  },
  async afterDeploy(run, resource, url) {
    const uri = resolveUrl(resource.name, url)!;
    await run.access.workos!.api.ensureOauthResource(run.ledger, uri);
    run.progress.done(`AuthKit Resource Indicator: ${uri}`);
  },
  teardown: 30,
  async remove(run, recorded) {
    await run.access.workos!.api.deleteOauthResource(recorded.id!, recorded.name);
  },
};
