import { StepError } from "../errors.js";
import type { Ledger } from "../provision/find-or-create.js";
import { asStepFailure } from "../provision/provision.js";
import { secretValue } from "../provision/settings-files.js";
import { registerDeployedCallback } from "../provision/sign-in.js";
import { findResource, isPending, markPending, recordResource } from "../provision/state.js";
import { reportResource, type CloudSession, type Prepared } from "../provision/session.js";
import { wranglerDeploy } from "./wrangler.js";

/** The lines that connect an MCP client to a deployed server (the summary prints them). */
export function connectLines(name: string, mcpUrl: string): string[] {
  return [
    `MCP server: ${mcpUrl}`,
    `Claude Code:   claude mcp add --transport http ${name} ${mcpUrl}`,
    `Cursor (~/.cursor/mcp.json): { "mcpServers": { "${name}": { "url": "${mcpUrl}" } } }`,
    `MCP Inspector: npx @modelcontextprotocol/inspector   (transport Streamable HTTP, URL ${mcpUrl})`,
  ];
}

/**
 * Workers: uploads secrets (with the first deploy; to the existing Worker before later ones), runs `wrangler deploy`, records
 * the Worker and its URL, then tells the sign-in provider about it: proxy mode's sign-in client gets `<url>/callback`,
 * direct mode's AuthKit Resource Indicator becomes `<url>/mcp`.
 */
export async function deployWorkers(session: CloudSession, prepared: Prepared, ledger: Ledger): Promise<string> {
  const { project, progress } = session;
  const cloudflare = prepared.cloudflare!;
  try {
    const secretNames = project.requiredSecrets;
    const secrets: Record<string, string> = {};
    const missing: string[] = [];
    for (const name of secretNames) {
      const value = secretValue(project, name);
      if (value) secrets[name] = value;
      else missing.push(name);
    }
    for (const name of project.optionalSecrets) {
      const value = secretValue(project, name);
      if (value) secrets[name] = value;
    }
    if (missing.length > 0) {
      throw new StepError(
        `The Worker needs the secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: put ${missing.length > 1 ? "them" : "it"} in .dev.vars (git-ignored; \`create-mcp-auth deploy\` uploads it), then rerun.`,
        "deploy_failed",
      );
    }

    const known = findResource(ledger.state, "cloudflare.worker", project.name);
    progress.start(`Checking for Worker ${project.name}`);
    const exists = await cloudflare.api.workerExists(cloudflare.accountId, project.name);
    if (exists) {
      // The Worker holds secrets already: update them first, so the new version inherits current values.
      for (const [name, value] of Object.entries(secrets)) {
        await cloudflare.api.putSecret(cloudflare.accountId, project.name, name, value);
        const recorded = findResource(ledger.state, "cloudflare.worker_secret", name);
        recordResource(ledger.state, { kind: "cloudflare.worker_secret", name, id: null, created: true });
        reportResource(session.result, "cloudflare.worker_secret", name, null, recorded ? "reused" : "created");
      }
      ledger.save();
    } else if (!known) {
      markPending(ledger.state, "cloudflare.worker", project.name);
      ledger.save();
    }

    progress.start(`Deploying ${project.name} with wrangler`);
    const { url: deployedUrl } = await wranglerDeploy({
      projectDir: project.dir,
      accountId: cloudflare.accountId,
      apiToken: cloudflare.apiToken,
      ...(cloudflare.baseURL ? { baseURL: cloudflare.baseURL } : {}),
      ...(exists ? {} : { secrets }),
      env: session.env,
      net: prepared.net,
    });
    let url = deployedUrl;
    if (!url) {
      const subdomain = await cloudflare.api.workersDevSubdomain(cloudflare.accountId);
      if (!subdomain) throw new StepError("wrangler deployed but reported no URL, and the account has no workers.dev subdomain: add a route or register a subdomain in the dashboard.", "deploy_failed");
      url = `https://${project.name}.${subdomain}.workers.dev`;
    }
    const created = known?.created ?? (!exists || isPending(ledger.state, "cloudflare.worker", project.name));
    recordResource(ledger.state, { kind: "cloudflare.worker", name: project.name, id: project.name, created, details: { url } });
    if (!exists) {
      for (const name of Object.keys(secrets)) {
        recordResource(ledger.state, { kind: "cloudflare.worker_secret", name, id: null, created: true });
        reportResource(session.result, "cloudflare.worker_secret", name, null, "created");
      }
    }
    ledger.state.url = url;
    ledger.save();
    reportResource(session.result, "cloudflare.worker", project.name, project.name, exists ? "reused" : "created");
    progress.done(`Deployed ${url}`);

    // The sign-in provider learns the deployed URL.
    if (prepared.workos && project.options.authMode) {
      const { api } = prepared.workos;
      for (const resource of project.template.provisioning?.resources[project.options.authMode] ?? []) {
        if (resource.kind === "workos.oauth_application") {
          await registerDeployedCallback(session, prepared, ledger, resource, url);
        } else if (resource.kind === "workos.oauth_resource") {
          const uri = `${url}${resource.path}`;
          await api.ensureOauthResource(ledger, uri);
          progress.done(`AuthKit Resource Indicator: ${uri}`);
        }
      }
    }
    return url;
  } catch (error) {
    progress.fail("Deploy stopped");
    throw asStepFailure(error, "deploy");
  }
}
