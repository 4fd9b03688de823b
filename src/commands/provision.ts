import type { CreateFlags } from "../options/types.js";
import { provisionProject } from "../provision/provision.js";
import { prepare, provisionNeeds } from "../provision/session.js";
import type { RunResult } from "../report/result.js";
import { cloudSession, step } from "../provision/command-session.js";

/** `create-mcp-auth provision`, inside a generated project: finds or creates its cloud resources. */
export async function runProvision(flags: CreateFlags, result: RunResult): Promise<void> {
  const session = cloudSession("provision", flags, result, ["provision"]);
  await step(result, "provision", async () => {
    const prepared = await prepare(session, provisionNeeds(session.project, false), "`create-mcp-auth provision`");
    return provisionProject(session, prepared);
  });
  result.ok = true;
  result.nextSteps.push(session.project.workers ? "create-mcp-auth deploy   (deploys the Worker and registers its URL)" : "create-mcp-auth deploy   (prints how to run the Docker image)");
  session.progress.info(`Next steps:\n${result.nextSteps.map((s) => `  ${s}`).join("\n")}`);
}
