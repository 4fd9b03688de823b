import { UsageError } from "../errors.js";
import type { ProjectPlan } from "../plan/types.js";
import type { Prompter } from "./prompter.js";
import type { CreateFlags } from "./types.js";

/**
 * --provision / --deploy on create: the flags when given (--deploy implies --provision); otherwise, in an interactive run
 * without -y, the person is shown the Plan's resources and asked; otherwise no (-y never implies them).
 */
export async function resolveCloudChoice(
  plan: ProjectPlan,
  flags: CreateFlags,
  { interactive, prompter, install, dryRun }: { interactive: boolean; prompter: Prompter; install: boolean; dryRun: boolean },
): Promise<{ provision: boolean; deploy: boolean }> {
  let deploy = flags.deploy ?? false;
  let provision = (flags.provision ?? false) || deploy;
  if (flags.provision === false && flags.deploy) throw new UsageError("--deploy provisions first; it cannot be combined with --no-provision.");
  const asked = interactive && !flags.yes && flags.provision === undefined && flags.deploy === undefined && !dryRun;
  if (asked && plan.resources.length > 0) {
    prompter.note(plan.resources.map((r) => `${r.stage === "deploy" ? "(with deploy) " : ""}${r.description}`).join("\n"), "Cloud resources this project uses");
    provision = await prompter.confirm({ message: "Create them now? (needs API credentials; nothing is created otherwise)", initialValue: false });
    if (provision && plan.workers && install) {
      deploy = await prompter.confirm({ message: "Deploy to Cloudflare Workers too?", initialValue: false });
    }
  }
  if (deploy && plan.workers && !install && !dryRun) {
    throw new UsageError("--deploy runs the project's own wrangler, so it needs the dependencies installed: drop --no-install.");
  }
  return { provision, deploy };
}
