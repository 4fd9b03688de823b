import { connectLines, deployWorkers } from "../deploy/deploy.js";
import type { CreateOptions } from "../options/types.js";
import type { CreateFlags } from "../options/types.js";
import { provisionProject } from "../provision/provision.js";
import { prepare, provisionNeeds, type CloudSession } from "../provision/session.js";
import type { RunResult } from "../report/result.js";
import { cloudSession, step } from "../provision/command-session.js";

/** `create-mcp-auth deploy`, inside a generated project: provisions (a no-op when nothing changed), then deploys. */
export async function runDeploy(flags: CreateFlags, result: RunResult): Promise<void> {
  const session = cloudSession("deploy", flags, result, ["provision", "deploy"]);
  const { prepared, ledger } = await step(result, "provision", async () => {
    const prepared = await prepare(session, provisionNeeds(session.project, true), "`create-mcp-auth deploy`", "deploy");
    return { prepared, ledger: await provisionProject(session, prepared) };
  });
  if (session.project.workers) {
    const url = await step(result, "deploy", () => deployWorkers(session, prepared, ledger));
    reportDeployed(session, url);
  } else {
    result.nextSteps.push(...nodeDeploySteps(session.project.options));
  }
  result.ok = true;
  session.progress.info(`Next steps:\n${result.nextSteps.map((s) => `  ${s}`).join("\n")}`);
}

export function reportDeployed(session: CloudSession, url: string): void {
  session.result.url = url;
  session.result.nextSteps.push(...(session.project.template.afterDeploy ?? []).map((step) => step.replaceAll("{url}", url)));
  session.result.nextSteps.push(...connectLines(session.project.name, `${url}/mcp`));
}

/** Node: the project carries a Dockerfile; where it runs is the person's choice, so deploy says what to run. */
export function nodeDeploySteps(options: CreateOptions): string[] {
  const name = options.packageName;
  return [
    `docker build -t ${name} .`,
    `docker run -p 8787:8787 --env-file .env -e PUBLIC_URL=https://<your-host> ${name}   (then connect MCP clients to https://<your-host>/mcp)`,
  ];
}
