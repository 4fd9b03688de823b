import fs from "node:fs";
import { findOrCreate } from "../cloud/find-or-create.js";
import { authkitOrigin } from "../cloud/workos.js";
import { findResource, readState, removeResource, STATE_FILE, type StateResource } from "../cloud/state.js";
import { UsageError } from "../errors.js";
import { registerSecret } from "../net/redact.js";
import { resolveAgentAdd, refuseAgentsWithout, validateAgentName } from "../options/agent-options.js";
import { resolveCloudAccess } from "../options/cloud-access.js";
import type { CreateFlags } from "../options/types.js";
import { openCloudRun } from "../provision/cloud-run.js";
import { currentSetting } from "../project/settings.js";
import { printNextSteps } from "../report/next-steps.js";
import type { RunResult } from "../report/result.js";
import { asStepFailure } from "../report/step-failure.js";
import { agentApplicationName } from "../resources/workos-agent.js";
import type { CloudRun } from "../resources/types.js";
import { startCloudCommand } from "./cloud-context.js";

export interface AgentFlags extends CreateFlags {
  organization?: string;
  scopes?: string;
  secretFile?: string;
}

const KIND = "workos.m2m_application";
const NEEDS = { cloudflare: false, workos: true, settings: false };

const describe = (r: StateResource) => ({
  name: r.name,
  clientId: r.details?.clientId ?? "",
  organizationId: r.details?.organizationId ?? "",
  scopes: (r.details?.scopes ?? "").split(" ").filter(Boolean),
});

/** `create-mcp-auth agents add <name>`: a machine-to-machine application for an agent acting for no person; its secret once. */
export async function runAgentsAdd(name: string, flags: AgentFlags, result: RunResult): Promise<void> {
  const { plan, asker, progress } = await startCloudCommand("agents", flags, result, []);
  const terminal = Boolean(process.stdout.isTTY) && !flags.json;
  const options = resolveAgentAdd(plan, { name, organization: flags.organization, scopes: flags.scopes, secretFile: flags.secretFile }, { terminal, cwd: process.cwd() });
  const access = await resolveCloudAccess(plan, NEEDS, asker, "`create-mcp-auth agents add`", "agents");
  const run = openCloudRun(plan, access, progress, result);
  if (findResource(run.ledger.state, KIND, options.name)) {
    throw new UsageError(`The agent ${options.name} exists already (${STATE_FILE}); its secret was given when it was made. To start over: \`create-mcp-auth agents remove ${options.name}\`, then add it again.`, "agent_exists");
  }
  const api = access.workos!.api;
  const appName = agentApplicationName(plan.project.packageName, options.name);
  let secret: string;
  try {
    progress.start(`WorkOS agent application ${appName}`);
    const { value: app } = await findOrCreate(run.ledger, {
      kind: KIND,
      name: options.name,
      find: () => api.findAgent(appName),
      create: () => api.createAgent(appName, options.organizationId, options.scopes, `Agent ${options.name} of ${plan.project.packageName} (create-mcp-auth): acts for no person.`),
      idOf: (a) => a.id,
      details: (a) => ({ clientId: a.clientId, organizationId: options.organizationId, scopes: options.scopes.join(" ") }),
    });
    secret = (await api.createClientSecret(app.id, appName)).secret;
    registerSecret(secret);
    progress.done(`Agent ${options.name}: client id ${app.clientId}`);
  } catch (error) {
    progress.fail("Adding the agent stopped");
    throw asStepFailure(error, "agents");
  }
  const recorded = findResource(run.ledger.state, KIND, options.name)!;
  result.agents = [describe(recorded)];
  if (options.secretFile) {
    fs.writeFileSync(options.secretFile, `${secret}\n`, { mode: 0o600, flag: "wx" });
    progress.done(`Its client secret is in ${options.secretFile} (mode 0600); it is not shown again.`);
  } else {
    process.stdout.write(`\nClient secret (shown once, not saved anywhere): ${secret}\n\n`);
  }
  result.ok = true;
  result.nextSteps.push(...tokenSteps(run, recorded));
  printNextSteps(progress, result.nextSteps);
}

/** The client-credentials call that gets the agent a token for this server. */
function tokenSteps(run: CloudRun, agent: StateResource): string[] {
  const domain = run.access.env.AUTHKIT_DOMAIN?.trim() || currentSetting(run.plan, "AUTHKIT_DOMAIN");
  const origin = domain ? authkitOrigin(domain) : "https://<AUTHKIT_DOMAIN>";
  const resource = run.ledger.state.url ? `${run.ledger.state.url}/mcp` : "https://<your-server>/mcp";
  const { clientId, scopes } = describe(agent);
  return [
    `The agent gets a token with: curl -s ${origin}/oauth2/token -d grant_type=client_credentials -d client_id=${clientId} -d client_secret=<its secret>${scopes.length ? ` -d scope="${scopes.join(" ")}"` : ""} -d resource=${resource}`,
    "create-mcp-auth agents list   (the project's agents) · create-mcp-auth agents remove <name>   (deletes one)",
  ];
}

/** `create-mcp-auth agents list`: what the state file records; no API call. */
export async function runAgentsList(flags: AgentFlags, result: RunResult): Promise<void> {
  const { plan, progress } = await startCloudCommand("agents", flags, result, []);
  refuseAgentsWithout(plan);
  const state = readState(plan.project.projectDir);
  const agents = state.resources.filter((r) => r.kind === KIND).map(describe);
  result.agents = agents;
  result.ok = true;
  progress.info(agents.length ? agents.map((a) => `${a.name}  ${a.clientId}  ${a.organizationId}  ${a.scopes.join(" ") || "(no scopes)"}`).join("\n") : "No agents: add one with `create-mcp-auth agents add <name> --organization <org_id>`.");
}

/** `create-mcp-auth agents remove <name>`: deletes its application (its tokens stop working) and forgets it. */
export async function runAgentsRemove(name: string, flags: AgentFlags, result: RunResult): Promise<void> {
  const { plan, asker, progress } = await startCloudCommand("agents", flags, result, []);
  refuseAgentsWithout(plan);
  validateAgentName(name);
  const access = await resolveCloudAccess(plan, NEEDS, asker, "`create-mcp-auth agents remove`", "agents");
  const run = openCloudRun(plan, access, progress, result);
  const recorded = findResource(run.ledger.state, KIND, name);
  if (!recorded) {
    const known = run.ledger.state.resources.filter((r) => r.kind === KIND).map((r) => r.name);
    throw new UsageError(`No agent named ${name} in ${STATE_FILE}${known.length ? `; the agents are: ${known.join(", ")}` : ": this project has none"}.`, "no_such_agent");
  }
  try {
    progress.start(`Deleting agent ${name}`);
    await access.workos!.api.deleteApplication(recorded.id!, agentApplicationName(plan.project.packageName, name));
  } catch (error) {
    progress.fail("Removing the agent stopped");
    throw asStepFailure(error, "agents");
  }
  removeResource(run.ledger.state, KIND, name);
  run.ledger.save();
  run.ledger.report(KIND, name, recorded.id, "deleted");
  progress.done(`Removed agent ${name}: its application is deleted, so it can get no new token`);
  result.ok = true;
}
