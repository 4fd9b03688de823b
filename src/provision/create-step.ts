import * as clack from "@clack/prompts";
import type { Catalog } from "../catalog/index.js";
import { CancelledError, UsageError } from "../errors.js";
import type { CreateFlags, CreateOptions } from "../options/types.js";
import type { Progress } from "../report/progress.js";
import type { RunResult } from "../report/result.js";
import { projectFrom } from "./project.js";
import { prepare, provisionNeeds, type CloudSession, type Prepared } from "./session.js";

/**
 * --provision / --deploy on create: the flags when given (--deploy implies --provision); otherwise, in an interactive run
 * without -y, the person is shown what would be created and asked; otherwise no (-y never implies them).
 */
export async function resolveCloudChoice(
  options: CreateOptions,
  flags: CreateFlags,
  { interactive, catalog }: { interactive: boolean; catalog: Catalog },
): Promise<{ provision: boolean; deploy: boolean }> {
  const project = projectFrom(options, catalog);
  let deploy = flags.deploy ?? false;
  let provision = (flags.provision ?? false) || deploy;
  if (flags.provision === false && flags.deploy) throw new UsageError("--deploy provisions first; it cannot be combined with --no-provision.");
  const asked = interactive && !flags.yes && flags.provision === undefined && flags.deploy === undefined && !options.dryRun;
  if (asked && project.resources.length > 0) {
    const lines = project.resources.map((r) => `${r.stage === "deploy" ? "(with deploy) " : ""}${r.description}`);
    clack.note(lines.join("\n"), "Cloud resources this project uses");
    provision = answered(await clack.confirm({ message: "Create them now? (needs API credentials; nothing is created otherwise)", initialValue: false }));
    if (provision && project.workers && options.install) {
      deploy = answered(await clack.confirm({ message: "Deploy to Cloudflare Workers too?", initialValue: false }));
    }
  }
  if (deploy && project.workers && !options.install && !options.dryRun) {
    throw new UsageError("--deploy runs the project's own wrangler, so it needs the dependencies installed: drop --no-install.");
  }
  return { provision, deploy };
}

function answered(value: boolean | symbol): boolean {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as boolean;
}

/** Resolves credentials, the account and settings before the project is rendered, so a usage error writes nothing. */
export async function prepareCloud(
  options: CreateOptions,
  flags: CreateFlags,
  { interactive, progress, result, catalog }: { interactive: boolean; progress: Progress; result: RunResult; catalog: Catalog },
): Promise<{ session: CloudSession; prepared: Prepared }> {
  const project = projectFrom(options, catalog);
  const session: CloudSession = {
    project,
    interactive,
    yes: flags.yes ?? false,
    // A copy: a credential typed at a prompt is kept here, never in process.env.
    env: { ...process.env },
    ...(flags.accountId ? { accountId: flags.accountId } : {}),
    progress,
    result,
  };
  const prepared = await prepare(session, provisionNeeds(project, options.deploy ?? false), options.deploy ? "--deploy" : "--provision");
  return { session, prepared };
}
