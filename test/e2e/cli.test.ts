import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { onlyJson, REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

// The built CLI, run as a user runs it: no TTY, so every run here is non-interactive.
let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("cli");
});
afterAll(() => work.cleanup());

const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: work.dir, env });

describe("the built CLI", () => {
  it("prints help and its version", async () => {
    const help = await run(["--help"]);
    expect(help.exitCode).toBe(0);
    for (const flag of ["--template", "--target", "--auth-mode", "--tools", "--no-interactive", "--dry-run", "--json", "--force", "--list"]) {
      expect(help.stdout).toContain(flag);
    }
    const version = await run(["--version"]);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version);
  });

  it("lists the catalog, and as JSON in the documented shape", async () => {
    const human = await run(["--list"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain("authless");
    const listing = onlyJson((await run(["--list", "--json"])).stdout);
    expect(Object.keys(listing)).toEqual(["templates", "targets", "tools"]);
    expect(listing.templates.map((t: { id: string }) => t.id)).toEqual(catalog.templates.map((t) => t.id));
    expect(listing.targets).toEqual([
      { id: "workers", name: "Cloudflare Workers" },
      { id: "node", name: "Node.js" },
    ]);
  });

  it("exits 2 naming the missing flag, with one JSON object on failure", async () => {
    const result = await run(["app", "--target", "node", "--json"]);
    expect(result.exitCode).toBe(2);
    const json = onlyJson(result.stdout);
    expect(json.ok).toBe(false);
    expect(json.command).toBe("create");
    expect(json.error).toMatchObject({ code: "usage", exitCode: 2, message: expect.stringContaining("--template") });
    expect(json).toMatchObject({ directory: path.join(work.dir, "app"), target: "node", template: null });
    expect(fs.existsSync(path.join(work.dir, "app"))).toBe(false);
  });

  it("echoes the values given in the JSON of a usage error", async () => {
    const result = await run(["app", "-t", "nope", "--target", "node", "--auth-mode", "direct", "--tools", "whoami,shop", "--json"]);
    expect(result.exitCode).toBe(2);
    expect(onlyJson(result.stdout)).toMatchObject({
      ok: false,
      directory: path.join(work.dir, "app"),
      template: "nope",
      target: "node",
      authMode: "direct",
      tools: ["whoami", "shop"],
      error: { code: "usage", message: expect.stringContaining('Unknown template "nope"') },
    });
  });

  it.each([
    [["app", "-t", "nope", "--target", "node"], /Valid templates: authless/],
    [["app", "-t", "authless", "--target", "node", "--tools", "whoami,nope"], /Unknown tool pack "nope"/],
    [["app", "-t", "authless", "--target", "node", "--auth-mode", "proxy"], /no sign-in/],
    [["app", "--frobnicate"], /unknown option '--frobnicate'/],
    [["app", "-t", "github", "--target", "node"], /Valid targets for it: workers\. GitHub runs on Workers only: .*proxy mode/],
    [["app", "-t", "workos", "--target", "node", "--provision"], /--provision needs WORKOS_API_KEY in the environment/],
    [["provision"], /create-mcp-auth \.\/provision/],
    [["", "-t", "authless", "--target", "node", "--no-install", "--no-git"], /The project directory is empty \(an empty string was given\): give one/],
    [["app", "-t", " ", "--target", "node", "--no-install", "--no-git"], /--template is empty \(an empty string was given\): give it a value \(authless, workos/],
    [["app", "-t", "authless", "--target", "", "--no-install", "--no-git"], /--target is empty/],
    [["app", "-t", "workos", "--target", "workers", "--auth-mode", "", "--no-install", "--no-git"], /--auth-mode is empty/],
    [["app", "-t", "authless", "--target", "node", "--package-manager", "", "--no-install", "--no-git"], /--package-manager is empty/],
    [["destroy", "--account-id", ""], /--account-id is empty/],
  ])("refuses %j with exit 2 and a message that says what to do", async (args, message) => {
    const result = await run(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fs.readdirSync(work.dir)).toEqual([]);
  });

  it("is non-interactive when CI is set, even without --no-interactive", async () => {
    const result = await run(["app"], { CI: "true" });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Missing --template/);
  });

  it("--dry-run prints the plan and writes nothing", async () => {
    const result = await run(["dry app", "-t", "authless", "--target", "workers", "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("wrangler.jsonc");
    expect(result.stdout).toContain("package   dry-app");
    // Each file with the template layer it comes from.
    expect(result.stdout).toMatch(/\n {2}wrangler\.jsonc +targets\/workers\n/);
    expect(result.stdout).toMatch(/\n {2}src\/tools\/whoami\.ts +tools\/whoami\n/);
    const json = onlyJson((await run(["dry app", "-t", "authless", "--target", "node", "--dry-run", "--json"])).stdout);
    expect(json).toMatchObject({ ok: true, dryRun: true, packageName: "dry-app", template: "authless", authMode: null, target: "node" });
    expect(json.files).toContain("package.json");
    expect(json.sources.map((f: { path: string }) => f.path)).toEqual(json.files);
    expect(json.sources).toContainEqual({ path: "package.json", layer: "targets/node", source: "targets/node/package.json.hbs" });
    const layers = new Set(json.sources.map((f: { layer: string }) => f.layer));
    expect([...layers]).toEqual(expect.arrayContaining(["base", "targets/node", "tools/whoami"]));
    for (const f of json.sources) expect(f.source.startsWith(`${f.layer}/`)).toBe(true);
    expect(json.steps.every((s: { status: string }) => s.status === "skipped")).toBe(true);
    expect(fs.readdirSync(work.dir)).toEqual([]);
  });

  it("--json on success prints one object on stdout and progress on stderr", async () => {
    const result = await run(["json app", "-t", "authless", "--target", "node", "--tools", "none", "--no-install", "--no-git", "--json"]);
    expect(result.exitCode).toBe(0);
    const json = onlyJson(result.stdout);
    expect(json).toMatchObject({
      ok: true,
      command: "create",
      directory: path.join(work.dir, "json app"),
      packageName: "json-app",
      tools: [],
      url: null,
      resources: [],
      steps: [
        { name: "render", status: "done" },
        { name: "install", status: "skipped" },
        { name: "provision", status: "skipped" },
        { name: "git", status: "skipped" },
        { name: "deploy", status: "skipped" },
      ],
    });
    expect(result.stderr).toContain("Created");
    for (const file of json.files) expect(fs.existsSync(path.join(work.dir, "json app", file))).toBe(true);
    const stamp = JSON.parse(fs.readFileSync(path.join(work.dir, "json app", "package.json"), "utf8"))["create-mcp-auth"];
    expect(stamp).toEqual({ version: expect.any(String), template: "authless", authMode: null, target: "node", tools: [] });
    fs.rmSync(path.join(work.dir, "json app"), { recursive: true });
  });

  it("refuses a non-empty directory (exit 2), and --force writes in leaving other files alone", async () => {
    const dir = path.join(work.dir, "full");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    const args = ["full", "-t", "authless", "--target", "workers", "--no-install", "--no-git"];
    const refused = await run([...args, "--json"]);
    expect(refused.exitCode).toBe(2);
    expect(onlyJson(refused.stdout).error.code).toBe("not_empty");
    expect(fs.readdirSync(dir)).toEqual(["notes.txt"]);
    const forced = await run([...args, "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(fs.existsSync(path.join(dir, "wrangler.jsonc"))).toBe(true);
    expect(fs.readdirSync(work.dir)).toEqual(["full"]);
    fs.rmSync(dir, { recursive: true });
  });

  it("creates into . with --force, naming the package after the directory", async () => {
    const dir = path.join(work.dir, "Here Server");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keep.md"), "mine");
    const result = await runCli([".", "-t", "authless", "--target", "node", "--no-install", "--no-git", "--force", "--json"], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(onlyJson(result.stdout).packageName).toBe("here-server");
    expect(fs.readFileSync(path.join(dir, "keep.md"), "utf8")).toBe("mine");
    expect(fs.readdirSync(work.dir)).toEqual(["Here Server"]);
    fs.rmSync(dir, { recursive: true });
  });

  it("makes a first commit with hooks and signing configured to get in the way", async () => {
    const home = path.join(work.dir, "home");
    fs.mkdirSync(path.join(home, "hooks"), { recursive: true });
    fs.writeFileSync(path.join(home, "hooks", "pre-commit"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    fs.writeFileSync(path.join(home, ".gitconfig"), `[commit]\n\tgpgsign = true\n[core]\n\thooksPath = ${home}/hooks\n`);
    const result = await run(["git app", "-t", "authless", "--target", "node", "--no-install"], { HOME: home, GIT_CONFIG_NOSYSTEM: "1" });
    expect(result.exitCode).toBe(0);
    const log = await execa("git", ["log", "--oneline"], { cwd: path.join(work.dir, "git app") });
    expect(log.stdout).toContain("Initial commit from create-mcp-auth");
    fs.rmSync(path.join(work.dir, "git app"), { recursive: true });
    fs.rmSync(home, { recursive: true });
  });

  it("never runs git init inside an existing repository", async () => {
    const repo = path.join(work.dir, "repo");
    fs.mkdirSync(repo);
    await execa("git", ["init", "-q"], { cwd: repo });
    const result = await runCli(["inner", "-t", "authless", "--target", "node", "--no-install", "--json"], { cwd: repo });
    expect(result.exitCode).toBe(0);
    expect(onlyJson(result.stdout).steps).toContainEqual({ name: "git", status: "skipped" });
    expect(fs.existsSync(path.join(repo, "inner", ".git"))).toBe(false);
    fs.rmSync(repo, { recursive: true });
  });

  it("loads neither the cloud SDKs nor the template compiler for --help or a plain scaffold", async () => {
    // What the bundle's files hold is found by text each package carries (a header, a user agent, compiler and
    // source-map code); every marker must occur somewhere in dist/, so a marker that went stale fails here too.
    const markers: Record<string, string> = {
      cloudflare: "X-Stainless-Lang",
      "@workos-inc/node": "workos-node/",
      "the Handlebars compiler": "Parse error on line",
      "source-map": "SourceMapGenerator",
    };
    const dist = path.join(REPO_ROOT, "dist");
    const built = fs.readdirSync(dist).map((f) => fs.readFileSync(path.join(dist, f), "utf8"));
    const carried = Object.entries(markers).filter(([, m]) => built.some((text) => text.includes(m))).map(([name]) => name);
    expect(carried).toEqual(["cloudflare", "@workos-inc/node"]); // the compiler and source-map are not even built in

    // Every file the running CLI loads, recorded by a module hook.
    const hook = path.join(work.dir, "record-loads.mjs");
    fs.writeFileSync(
      hook,
      // (built-ins through getBuiltinModule: an `import` of node:fs would itself load what is checked for below)
      'const { registerHooks } = process.getBuiltinModule("node:module"); const fs = process.getBuiltinModule("node:fs");\n' +
        'registerHooks({ resolve(s, c, next) { const r = next(s, c); if (r.url.startsWith("file:")) fs.appendFileSync(process.env.LOADS_FILE, r.url + "\\n"); return r; } });\n' +
        'process.on("exit", () => fs.writeFileSync(process.env.LOADS_FILE + ".node", process.moduleLoadList.join("\\n")));\n',
    );
    // Node's own modules that cost milliseconds at start-up and that neither run needs: crypto (~8 ms), and the
    // readline and fs/promises modules an ESM import of node:fs or node:util drags in with their lazy exports.
    const needless = ["NativeModule crypto", "NativeModule internal/readline/interface", "NativeModule internal/fs/promises"];
    const loadsOf = async (args: string[], name: string) => {
      const file = path.join(work.dir, `${name}.loads`);
      const result = await execa(process.execPath, ["--import", hook, path.join(REPO_ROOT, "bin/create-mcp-auth.js"), ...args], {
        cwd: work.dir,
        reject: false,
        env: { LOADS_FILE: file, CI: "1" },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      return [...new Set(fs.readFileSync(file, "utf8").trim().split("\n"))].map((url) => fs.readFileSync(new URL(url), "utf8"));
    };
    for (const [name, args] of [
      ["help", ["--help"]],
      ["scaffold", ["plain-scaffold", "-t", "workos", "--target", "workers", "--no-install", "--no-git", "-y"]],
    ] as const) {
      const loaded = await loadsOf([...args], name);
      expect(loaded.length, name).toBeGreaterThan(1);
      expect(Object.entries(markers).filter(([, m]) => loaded.some((text) => text.includes(m))).map(([pkg]) => pkg), name).toEqual([]);
      const nodeModules = fs.readFileSync(path.join(work.dir, `${name}.loads.node`), "utf8").split("\n");
      expect(needless.filter((m) => nodeModules.includes(m)), name).toEqual([]);
    }
  });
});
