import { execa } from "execa";
import { catalog } from "../catalog/index.js";
import { stopIfChildInterrupted } from "../interrupt.js";
import { childEnv } from "./child-env.js";

export type GitOutcome = { status: "done" } | { status: "skipped" | "failed"; reason: string };

const git = async (cwd: string, args: string[]) => {
  const result = await execa("git", args, {
    cwd,
    reject: false,
    stdin: "ignore",
    timeout: 60_000,
    // No credential or secret for git or its hooks.
    extendEnv: false,
    env: childEnv(catalog, process.env, { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", GIT_EDITOR: "true" }),
  });
  stopIfChildInterrupted(result);
  return result;
};

/**
 * git init + first commit, never inside an existing repository and never waiting on signing or hooks.
 * A missing git or a failed commit is a warning: the project itself is complete.
 */
export async function initGitRepository(projectDir: string): Promise<GitOutcome> {
  if ((await git(projectDir, ["--version"])).failed) return { status: "skipped", reason: "git is not installed" };
  const inside = await git(projectDir, ["rev-parse", "--is-inside-work-tree"]);
  if (!inside.failed && inside.stdout.trim() === "true") {
    return { status: "skipped", reason: "the directory is already inside a git repository" };
  }
  const hasIdentity = !(await git(projectDir, ["config", "user.email"])).failed;
  const identity = hasIdentity ? [] : ["-c", "user.name=create-mcp-auth", "-c", "user.email=create-mcp-auth@localhost"];
  const commands: [label: string, args: string[]][] = [
    ["init", ["init", "--quiet"]],
    ["add", ["add", "--all"]],
    ["commit", [...identity, "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", "Initial commit from create-mcp-auth"]],
  ];
  for (const [label, args] of commands) {
    const result = await git(projectDir, args);
    if (result.failed) return { status: "failed", reason: `git ${label}: ${result.stderr.trim() || result.shortMessage}` };
  }
  return { status: "done" };
}
