import { Command, CommanderError, Option } from "commander";
import { catalog, catalogListing } from "./catalog/index.js";
import { CancelledError, EXIT, toReportedError, UsageError } from "./errors.js";
import type { CreateFlags } from "./options/types.js";
import { redact } from "./net/redact.js";
import { CLI_VERSION } from "./paths.js";
import { describeCatalog } from "./report/describe-catalog.js";
import { emptyResult, type Command as CommandName, type RunResult } from "./report/result.js";

const SUBCOMMANDS = [
  ["provision", "inside a generated project: (re)create its cloud resources"],
  ["deploy", "inside a generated project: provision if needed, then deploy"],
  ["destroy", "inside a generated project: delete what its state file lists"],
] as const;

const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id).join(" | ");

function program(): Command {
  const cli = new Command("create-mcp-auth")
    .description("Create an MCP server behind real sign-in, on Cloudflare Workers or Node.")
    .version(CLI_VERSION, "-v, --version")
    .argument("[directory]", "where to create the project (its last segment names the package and Worker)")
    .option("-t, --template <name>", `${ids(catalog.templates)} (see --list)`)
    .option("--target <name>", ids(catalog.targets))
    .option("--auth-mode <mode>", "direct | proxy (templates with sign-in; proxy runs on Workers only)")
    .option("--tools <list>", 'comma-separated tool packs (see --list), or "none"')
    .option("-y, --yes", "take the defaults for everything not given")
    .option("--no-interactive", "never prompt (also when stdin is not a TTY, CI is set, or with --json)")
    .option("--install", "install dependencies (default)")
    .option("--no-install", "skip installing dependencies")
    .option("--git", "create a git repository with a first commit (default)")
    .option("--no-git", "skip git")
    .option("--provision", "create cloud resources (needs credentials in the environment; see README)")
    .option("--no-provision", "do not create cloud resources (default)")
    .option("--deploy", "deploy after provisioning (implies --provision)")
    .option("--no-deploy", "do not deploy (default)")
    .option("--account-id <id>", "Cloudflare account (or CLOUDFLARE_ACCOUNT_ID)")
    .option("--workos-client <kind>", "proxy mode with WorkOS: app (the server's own OAuth application, default) | environment (the environment's AuthKit client)")
    .addOption(new Option("--package-manager <name>", "npm | pnpm | yarn | bun (default: the one that ran us)"))
    .option("--dry-run", "print the plan, write nothing")
    .option("--json", "print exactly one JSON object on stdout, also on failure; progress goes to stderr")
    .option("--force", "write into a non-empty directory: same-named files are overwritten, nothing else is touched")
    .option("--list", "list templates, targets and tool packs (with --json: machine-readable)")
    .helpOption("-h, --help", "show this help")
    .addHelpText("after", "\nExit codes: 0 ok · 1 failure while running · 2 usage error · 130 cancelled")
    .showSuggestionAfterError(true)
    .exitOverride();

  return cli;
}

/** provision | deploy | destroy: they take the options above that apply (--json, -y, --no-interactive, --account-id). */
function addSubcommands(cli: Command, result: RunResult): void {
  // Each command is loaded when it runs, so --help and --list start about as fast as Node itself.
  const runners = {
    provision: async (flags: CreateFlags, r: RunResult) => (await import("./commands/provision.js")).runProvision(flags, r),
    deploy: async (flags: CreateFlags, r: RunResult) => (await import("./commands/deploy.js")).runDeploy(flags, r),
    destroy: async (flags: CreateFlags, r: RunResult) => (await import("./commands/destroy.js")).runDestroy(flags, r),
  } as const;
  for (const [name, description] of SUBCOMMANDS) {
    cli
      .command(name)
      .description(description)
      .addHelpText("after", `\nOptions: --json, -y/--yes${name === "destroy" ? " (answers the confirmation)" : ""}, --no-interactive, --account-id <id>${name === "destroy" ? "" : ", --workos-client <app|environment>"}. Run inside the project.`)
      .action(async (_options: unknown, command: Command) => {
        await runners[name](command.optsWithGlobals<CreateFlags>(), result);
      });
  }
}

/** agents add | list | remove: machine-to-machine agents of a WorkOS project. */
function addAgentsCommand(cli: Command, result: RunResult): void {
  const load = () => import("./commands/agents.js");
  const agents = cli
    .command("agents")
    .description("inside a WorkOS project: agents that act for no person (machine-to-machine applications)")
    .addHelpText("after", "\nOptions of every agents command: --json, --no-interactive. Run inside the project.");
  agents
    .command("add <name>")
    .description("create an agent's application; its client secret is given once (a terminal, or --secret-file)")
    .option("--organization <org_id>", "the WorkOS organization the agent belongs to (required)")
    .option("--scopes <list>", 'comma-separated permissions it may use (default: every one the tools check), or "none"')
    .option("--secret-file <path>", "write the secret to this new file (mode 0600) instead of the terminal; required without one")
    .action(async (name: string, _options: unknown, command: Command) => (await load()).runAgentsAdd(name, command.optsWithGlobals(), result));
  agents
    .command("list")
    .description("the project's agents, from its state file")
    .action(async (_options: unknown, command: Command) => (await load()).runAgentsList(command.optsWithGlobals(), result));
  agents
    .command("remove <name>")
    .description("delete an agent's application: it can get no new token")
    .action(async (name: string, _options: unknown, command: Command) => (await load()).runAgentsRemove(name, command.optsWithGlobals(), result));
}

function commandOf(argv: string[]): CommandName {
  const first = argv.find((a) => !a.startsWith("-"));
  if (first === "agents") return "agents";
  return SUBCOMMANDS.find(([name]) => name === first)?.[0] ?? "create";
}

/** Runs the CLI and returns the exit code; the one place errors become messages and exit codes. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`create-mcp-auth --help | head`) is not a failure of ours.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const json = argv.includes("--json");
  const result: RunResult = emptyResult(commandOf(argv));
  try {
    const cli = program();
    addSubcommands(cli, result);
    addAgentsCommand(cli, result);
    cli.action(async (directory: string | undefined, flags: CreateFlags) => {
      if (flags.list) {
        process.stdout.write(json ? `${JSON.stringify(catalogListing(), null, 2)}\n` : describeCatalog());
        result.ok = true;
        return;
      }
      const { runCreate } = await import("./commands/create.js");
      await runCreate(directory, flags, result);
    });
    // Commander's own error lines are reported once, below, like every other error.
    cli.configureOutput({ writeErr: () => undefined });
    await cli.parseAsync(argv, { from: "user" });
    if (json && !argv.includes("--list")) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      return report(result, new UsageError(error.message.replace(/^error: /, "")), json);
    }
    return report(result, error, json);
  }
}

function report(result: RunResult, error: unknown, json: boolean): number {
  const reported = toReportedError(error);
  reported.message = redact(reported.message);
  result.ok = false;
  result.error = reported;
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (error instanceof CancelledError) process.stderr.write(`${reported.message}\n`);
  else {
    const hint = reported.exitCode === EXIT.usage ? "\nRun `create-mcp-auth --help` for usage." : "";
    process.stderr.write(`create-mcp-auth: ${reported.message}${hint}\n`);
    if (reported.code === "internal" && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  }
  return reported.exitCode;
}
