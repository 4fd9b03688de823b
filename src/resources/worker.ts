import { StepError } from "../errors.js";
import { secretValue } from "../project/settings.js";
import { findResource, isPending, markPending, recordResource } from "../cloud/state.js";
import { reportResource } from "../report/result.js";
import type { CloudRun, ResourceModule, WorkerResource } from "./types.js";

/** The Cloudflare Worker itself: `wrangler deploy`, with the Plan's Worker secrets. */
export const worker: ResourceModule<WorkerResource> = {
  kind: "cloudflare.worker",
  plan: (project) =>
    project.workers
      ? [{ kind: "cloudflare.worker", name: project.project.packageName, provider: "cloudflare", stage: "deploy", description: `Cloudflare Worker "${project.project.packageName}" (wrangler deploy)` }]
      : [],

  /**
   * Uploads the secrets (with the first deploy; to the existing Worker before later ones, so the new version inherits
   * current values), runs `wrangler deploy`, records the Worker and its URL.
   */
  async deploy(run, resource) {
    const { ledger, progress } = run;
    const cloudflare = run.access.cloudflare!;
    const secrets = secretsToUpload(run);
    const known = findResource(ledger.state, resource.kind, resource.name);
    progress.start(`Checking for Worker ${resource.name}`);
    const exists = await cloudflare.api.workerExists(cloudflare.accountId, resource.name);
    if (exists) {
      for (const [name, value] of Object.entries(secrets)) {
        await cloudflare.api.putSecret(cloudflare.accountId, resource.name, name, value);
        const recorded = findResource(ledger.state, "cloudflare.worker_secret", name);
        recordResource(ledger.state, { kind: "cloudflare.worker_secret", name, id: null, created: true });
        reportResource(run.result, "cloudflare.worker_secret", name, null, recorded ? "reused" : "created");
      }
      ledger.save();
    } else if (!known) {
      markPending(ledger.state, resource.kind, resource.name);
      ledger.save();
    }

    progress.start(`Deploying ${resource.name} with wrangler`);
    const { wranglerDeploy } = await import("../deploy/wrangler.js"); // execa: loaded only to deploy, not to plan
    const { url: deployedUrl } = await wranglerDeploy({
      projectDir: run.plan.project.projectDir,
      accountId: cloudflare.accountId,
      apiToken: cloudflare.apiToken,
      ...(cloudflare.baseURL ? { baseURL: cloudflare.baseURL } : {}),
      ...(exists ? {} : { secrets }),
      env: run.access.env,
      net: run.access.net,
    });
    let url = deployedUrl;
    if (!url) {
      const subdomain = await cloudflare.api.workersDevSubdomain(cloudflare.accountId);
      if (!subdomain) throw new StepError("wrangler deployed but reported no URL, and the account has no workers.dev subdomain: add a route or register a subdomain in the dashboard.", "deploy_failed");
      url = `https://${resource.name}.${subdomain}.workers.dev`;
    }
    const created = known?.created ?? (!exists || isPending(ledger.state, resource.kind, resource.name));
    recordResource(ledger.state, { kind: resource.kind, name: resource.name, id: resource.name, created, details: { url } });
    if (!exists) {
      for (const name of Object.keys(secrets)) {
        recordResource(ledger.state, { kind: "cloudflare.worker_secret", name, id: null, created: true });
        reportResource(run.result, "cloudflare.worker_secret", name, null, "created");
      }
    }
    ledger.state.url = url;
    ledger.save();
    reportResource(run.result, resource.kind, resource.name, resource.name, exists ? "reused" : "created");
    progress.done(`Deployed ${url}`);
    return url;
  },

  teardown: 10,
  async remove(run, recorded) {
    await run.access.cloudflare!.api.deleteWorker(run.access.cloudflare!.accountId, recorded.name);
  },
};

/** The Plan's Worker secrets that have a value: every required one (or a StepError naming the missing), optional ones when set. */
function secretsToUpload(run: CloudRun): Record<string, string> {
  const secrets: Record<string, string> = {};
  const missing: string[] = [];
  for (const resource of run.plan.resources) {
    if (resource.kind !== "cloudflare.worker_secret") continue;
    const value = secretValue(run.plan, resource.name);
    if (value) secrets[resource.name] = value;
    else if (resource.required) missing.push(resource.name);
  }
  if (missing.length > 0) {
    throw new StepError(
      `The Worker needs the secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: put ${missing.length > 1 ? "them" : "it"} in .dev.vars (git-ignored; \`create-mcp-auth deploy\` uploads it), then rerun.`,
      "deploy_failed",
    );
  }
  return secrets;
}
