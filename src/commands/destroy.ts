import type { CreateFlags } from "../options/types.js";
import { destroyProject } from "../provision/destroy.js";
import type { RunResult } from "../report/result.js";
import { cloudSession, step } from "../provision/command-session.js";

/** `create-mcp-auth destroy`, inside a generated project: deletes what its state file lists as created (asks; -y for CI). */
export async function runDestroy(flags: CreateFlags, result: RunResult): Promise<void> {
  const session = cloudSession("destroy", flags, result, ["destroy"]);
  await step(result, "destroy", () => destroyProject(session));
  result.url = null;
  result.ok = true;
}
