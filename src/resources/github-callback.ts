import { providerResource } from "../catalog/index.js";
import type { GithubCallbackResource, ResourceModule } from "./types.js";
import { resolveUrl } from "./types.js";

/** GitHub has no API for an OAuth app's callback URL: once deployed, the one manual step names it. */
export const githubCallback: ResourceModule<GithubCallbackResource> = {
  kind: "github.callback_url",
  plan: (project) => {
    const config = providerResource(project.template, project.project.authMode, "github.callback_url");
    if (!config || !project.workers) return [];
    return [
      {
        kind: "github.callback_url",
        name: `<url>${config.callbackPath}`,
        provider: "github",
        stage: "deploy",
        description: "set by hand (GitHub has no API for it): your GitHub OAuth app's Authorization callback URL",
      },
    ];
  },
  async afterDeploy(run, resource, url) {
    run.result.nextSteps.push(
      `One manual step (GitHub has no API for it): github.com → Settings → Developer settings → OAuth Apps → your app: set the Authorization callback URL to ${resolveUrl(resource.name, url)}`,
    );
  },
};
