import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { CancelledError, UsageError } from "../../src/errors.js";
import { isCI, isInteractive } from "../../src/options/interactive.js";
import { packageNameFor } from "../../src/options/package-name.js";
import { detectPackageManager } from "../../src/options/package-manager.js";
import type { Prompter } from "../../src/options/prompter.js";
import { resolveCreateOptions, type Session } from "../../src/options/resolve.js";
import { parseTools, validateAuthMode, validateTools } from "../../src/options/validate.js";

/** Answers prompts from a script and records what was asked and warned. */
function scriptedPrompter(answers: unknown[]) {
  const asked: string[] = [];
  const warnings: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const prompter: Prompter = {
    text: async ({ message }) => next(message) as string,
    password: async ({ message }) => next(message) as string,
    select: async ({ message }) => next(message) as never,
    multiselect: async ({ message }) => next(message) as never,
    confirm: async ({ message }) => next(message) as boolean,
    note: () => undefined,
    intro: () => undefined,
    outro: () => undefined,
    warn: (message) => void warnings.push(message),
  };
  return { prompter, asked, warnings };
}

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "cma-options-"));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const session = (overrides: Partial<Session> = {}): Session => ({
  interactive: false,
  yes: false,
  prompter: scriptedPrompter([]).prompter,
  catalog,
  cwd,
  env: {},
  ...overrides,
});

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe("package names", () => {
  it.each([
    ["my-server", "my-server"],
    ["My MCP Server", "my-mcp-server"],
    ["apps/Team  Tools!", "team-tools"],
    ["  --weird__name--  ", "weirdname"],
    ["x".repeat(80), "x".repeat(63)],
    ["🙂🙂", ""],
  ])("%j → %j", (dir, name) => {
    expect(packageNameFor(path.join("/tmp", dir))).toBe(name);
  });
});

describe("non-interactive runs", () => {
  it("name the missing flag, directory first", async () => {
    expect((await usageError(resolveCreateOptions(undefined, {}, session()))).message).toMatch(/Missing the project directory/);
    const noTemplate = await usageError(resolveCreateOptions("app", { target: "node" }, session()));
    expect(noTemplate.message).toMatch(/Missing --template/);
    expect(noTemplate.message).toMatch(/Valid templates: authless, workos, oidc, github\./);
    expect((await usageError(resolveCreateOptions("app", { template: "authless" }, session()))).message).toMatch(/Missing --target/);
    expect(noTemplate.exitCode).toBe(2);
  });

  it("default --tools to whoami and take the flags given", async () => {
    const options = await resolveCreateOptions("My Server", { template: "authless", target: "node", install: false }, session());
    expect(options).toMatchObject({
      directory: "My Server",
      projectDir: path.join(cwd, "My Server"),
      packageName: "my-server",
      template: "authless",
      target: "node",
      authMode: null,
      tools: ["whoami"],
      install: false,
      git: true,
      force: false,
    });
  });

  it("take every default with -y, without prompting", async () => {
    const options = await resolveCreateOptions(undefined, {}, session({ yes: true }));
    const workos = catalog.templates.find((t) => t.id === "workos")!;
    expect(options).toMatchObject({
      directory: "my-mcp-server",
      template: "workos",
      target: "workers",
      authMode: workos.authModes.includes("proxy") ? "proxy" : "direct",
      tools: ["whoami", "shop"],
    });
  });

  it("refuse unknown names with the valid values", async () => {
    expect((await usageError(resolveCreateOptions("app", { template: "nope", target: "node" }, session()))).message).toBe(
      'Unknown template "nope". Valid templates: authless, workos, oidc, github.',
    );
    expect((await usageError(resolveCreateOptions("app", { template: "authless", target: "lambda" }, session()))).message).toMatch(
      /Valid targets: workers, node/,
    );
    const tools = await usageError(resolveCreateOptions("app", { template: "authless", target: "node", tools: "whoami,bogus" }, session()));
    expect(tools.message).toMatch(/Unknown tool pack "bogus".*whoami/);
    const pm = await usageError(resolveCreateOptions("app", { template: "authless", target: "node", packageManager: "cargo" }, session()));
    expect(pm.message).toMatch(/npm, pnpm, yarn, bun/);
  });

  it("take the only auth mode a target allows without asking, and the target's default otherwise", async () => {
    const node = await resolveCreateOptions("app", { template: "workos", target: "node", tools: "none" }, session({ interactive: true }));
    expect(node.authMode).toBe("direct");
    const proxyOnNode = await usageError(resolveCreateOptions("app", { template: "workos", target: "node", authMode: "proxy" }, session()));
    expect(proxyOnNode.message).toMatch(/Workers only: use --auth-mode direct/);
  });

  it("take --workos-client only where proxy mode signs in with WorkOS, and only its two values", async () => {
    const proxy = { template: "workos", target: "workers", authMode: "proxy" };
    expect((await resolveCreateOptions("app", { ...proxy, workosClient: "environment" }, session())).workosClient).toBe("environment");
    expect((await resolveCreateOptions("app", { ...proxy, workosClient: "app" }, session())).workosClient).toBeUndefined();
    expect((await usageError(resolveCreateOptions("app", { ...proxy, workosClient: "env" }, session()))).message).toBe(
      'Unknown --workos-client "env". Valid values: app, environment.',
    );
    const direct = await usageError(resolveCreateOptions("app", { ...proxy, authMode: "direct", workosClient: "environment" }, session()));
    expect(direct.message).toMatch(/needs --template workos --auth-mode proxy \(this project: workos, direct mode\)/);
    const authless = await usageError(resolveCreateOptions("app", { template: "authless", target: "node", workosClient: "app" }, session()));
    expect(authless.exitCode).toBe(2);
  });

  it("refuse --auth-mode with authless", async () => {
    const error = await usageError(resolveCreateOptions("app", { template: "authless", target: "node", authMode: "direct" }, session()));
    expect(error.message).toMatch(/no sign-in/);
  });

  it("refuse a non-empty directory unless --force", async () => {
    fs.mkdirSync(path.join(cwd, "full"));
    fs.writeFileSync(path.join(cwd, "full", "keep.txt"), "mine");
    const flags = { template: "authless", target: "node" };
    const error = await usageError(resolveCreateOptions("full", flags, session()));
    expect(error.code).toBe("not_empty");
    expect(error.message).toMatch(/--force/);
    expect((await resolveCreateOptions("full", { ...flags, force: true }, session())).force).toBe(true);
  });

  it("refuse a directory name with nothing valid in it, and a path that is a file", async () => {
    expect((await usageError(resolveCreateOptions("🙂", { template: "authless", target: "node" }, session()))).message).toMatch(
      /no valid package name/,
    );
    fs.writeFileSync(path.join(cwd, "afile"), "");
    expect((await usageError(resolveCreateOptions("afile", { template: "authless", target: "node" }, session()))).message).toMatch(
      /not a directory/,
    );
  });
});

describe("interactive runs", () => {
  it("ask only what flags did not answer, in order", async () => {
    const { prompter, asked } = scriptedPrompter(["node", []]);
    const options = await resolveCreateOptions("app", { template: "authless" }, session({ interactive: true, prompter }));
    expect(asked).toEqual(["Where will it run?", "Which tools? (space to toggle, enter to confirm)"]);
    expect(options).toMatchObject({ target: "node", tools: [] });
  });

  it("show a bad flag's message, then ask", async () => {
    const { prompter, asked, warnings } = scriptedPrompter(["authless"]);
    await resolveCreateOptions("app", { template: "nope", target: "node", tools: "none" }, session({ interactive: true, prompter }));
    expect(warnings).toEqual(['Unknown template "nope". Valid templates: authless, workos, oidc, github.']);
    expect(asked).toEqual(["Which sign-in?"]);
  });

  it("refuse a non-empty directory with its reason and ask for another; --force takes it", async () => {
    fs.mkdirSync(path.join(cwd, "full"));
    fs.writeFileSync(path.join(cwd, "full", "keep.txt"), "mine");
    const flags = { template: "authless", target: "node", tools: "none" };
    const { prompter, asked, warnings } = scriptedPrompter(["other"]);
    const options = await resolveCreateOptions("full", flags, session({ interactive: true, prompter }));
    expect(warnings).toEqual([expect.stringMatching(/^The directory "full" is not empty: choose another directory, or pass --force/)]);
    expect(asked).toEqual(["Where should the project go?"]);
    expect(options).toMatchObject({ directory: "other", force: false });
    expect((await resolveCreateOptions("full", { ...flags, force: true }, session({ interactive: true }))).force).toBe(true);
  });

  it("refuse an empty directory or flag value instead of asking", async () => {
    const { prompter, asked } = scriptedPrompter([]);
    const interactive = session({ interactive: true, prompter });
    expect((await usageError(resolveCreateOptions("", {}, interactive))).message).toMatch(/^The project directory is empty/);
    expect((await usageError(resolveCreateOptions("app", { template: "" }, interactive))).message).toMatch(/^--template is empty/);
    expect((await usageError(resolveCreateOptions("app", { template: "authless", target: "node", tools: "  " }, interactive))).message).toMatch(/^--tools is empty/);
    expect(asked).toEqual([]);
  });

  it("pass a cancelled prompt through as CancelledError", async () => {
    const { prompter } = scriptedPrompter([new CancelledError()]);
    await expect(resolveCreateOptions(undefined, {}, session({ interactive: true, prompter }))).rejects.toBeInstanceOf(CancelledError);
  });
});

describe("validation helpers", () => {
  it("parse --tools", () => {
    expect(parseTools("none")).toEqual([]);
    expect(parseTools(" whoami , whoami,")).toEqual(["whoami"]);
    expect(validateTools("none,whoami", catalog, null)).toMatch(/cannot be combined/);
    expect(validateTools("", catalog, null)).toMatch(/empty/);
  });

  it("point node + proxy to direct mode", () => {
    const template = { id: "workos" as const, name: "WorkOS", description: "", authModes: ["direct", "proxy"] as const, targets: ["workers", "node"] as const, settings: { shared: [] } };
    const node = catalog.targets.find((t) => t.id === "node")!;
    expect(validateAuthMode("proxy", template, node)).toMatch(/Workers only: use --auth-mode direct/);
    expect(validateAuthMode("direct", template, node)).toBeUndefined();
  });

  it("detect non-interactive runs and the package manager", () => {
    expect(isCI({ CI: "true" })).toBe(true);
    expect(isCI({ CI: "false" })).toBe(false);
    expect(isCI({})).toBe(false);
    const tty = () => true;
    expect(isInteractive({}, {}, tty)).toBe(true);
    expect(isInteractive({ interactive: false }, {}, tty)).toBe(false);
    expect(isInteractive({ json: true }, {}, tty)).toBe(false);
    expect(isInteractive({}, { CI: "1" }, tty)).toBe(false);
    expect(isInteractive({}, {}, () => false)).toBe(false);
    // stdin is looked at only when nothing else has decided (reading process.stdin builds its stream)
    expect(isInteractive({}, { CI: "1" }, () => expect.unreachable("stdin read"))).toBe(false);
    expect(detectPackageManager("pnpm/9.12.0 npm/? node/v24.0.0 linux x64")).toBe("pnpm");
    expect(detectPackageManager("yarn/4.5.0 npm/? node/v24.0.0")).toBe("yarn");
    expect(detectPackageManager(undefined)).toBe("npm");
    expect(detectPackageManager("deno/2.0")).toBe("npm");
  });
});
