import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { BIN, onlyJson, REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

// Input meant to trick the CLI into writing outside the project, or into leaving half a project behind: odd directory
// arguments, names with path characters, signals mid-render and mid-install, a staging directory a killed run left,
// and (property-based) whatever option values and directory names fast-check comes up with. The built CLI, in temp
// directories outside the repository; every test checks what appeared on disk, not only the exit code.

const BASE = ["-t", "authless", "--target", "node", "--tools", "none", "--no-install", "--no-git"];
const STAGING = /^\.create-mcp-auth-staging-\d+-[0-9a-f]{8}$/;
const SLOW_RENDER = pathToFileURL(path.join(REPO_ROOT, "test/helpers/slow-render.mjs")).href;

let work: ReturnType<typeof tempDir>;
let count = 0;
beforeAll(() => {
  work = tempDir("hostile");
});
afterAll(() => work.cleanup());

/** A fresh, empty directory for one case. */
function fresh(name: string): string {
  const dir = path.join(work.dir, `${count++}-${name}`);
  fs.mkdirSync(dir);
  return dir;
}

/** Every entry under `dir` (links not followed), as sorted relative paths. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const entry = path.join(rel, name);
      out.push(entry);
      if (fs.lstatSync(path.join(dir, entry)).isDirectory()) walk(entry);
    }
  };
  walk("");
  return out.sort();
}

/** Regular files under `dir`, as sorted "/"-separated relative paths. */
const filesIn = (dir: string) => tree(dir).filter((f) => fs.lstatSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join("/")).sort();

describe("directory arguments", () => {
  it("writes an absolute path or one with .. segments exactly where it resolves to, and nowhere else", async () => {
    const root = fresh("resolve");
    const cwd = path.join(root, "cwd");
    fs.mkdirSync(cwd);
    const up = await runCli(["../up", ...BASE, "--json"], { cwd });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(onlyJson(up.stdout).directory).toBe(path.join(root, "up"));
    const abs = await runCli([path.join(root, "abs"), ...BASE], { cwd });
    expect(abs.exitCode, abs.stderr).toBe(0);
    const inner = await runCli(["x/../inner", ...BASE], { cwd });
    expect(inner.exitCode, inner.stderr).toBe(0);
    expect(fs.readdirSync(root).sort()).toEqual(["abs", "cwd", "up"]);
    expect(fs.readdirSync(cwd)).toEqual(["inner"]); // x/.. is resolved, never created
    for (const dir of [path.join(root, "up"), path.join(root, "abs"), path.join(cwd, "inner")]) expect(fs.existsSync(path.join(dir, "package.json"))).toBe(true);
  });

  it("refuses a target that is a symbolic link, even to an empty directory, and writes nothing through it", async () => {
    const root = fresh("link-target");
    fs.mkdirSync(path.join(root, "outside"));
    fs.symlinkSync(path.join(root, "outside"), path.join(root, "app"));
    fs.symlinkSync(path.join(root, "missing"), path.join(root, "dangling"));
    for (const name of ["app", "dangling"]) {
      const result = await runCli([name, ...BASE, "--force", "--json"], { cwd: root });
      expect(result.exitCode).toBe(2);
      expect(onlyJson(result.stdout).error.message).toMatch(/is a symbolic link \(to .*\): name the directory it points to instead, or remove the link/);
    }
    expect(tree(root)).toEqual(["app", "dangling", "outside"]);
  });

  it("follows a symbolic link among the parents, as the shell does, and writes only inside the target", async () => {
    const root = fresh("link-parent");
    fs.mkdirSync(path.join(root, "real"));
    fs.symlinkSync(path.join(root, "real"), path.join(root, "via"));
    const result = await runCli(["via/app", ...BASE], { cwd: root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(fs.readdirSync(path.join(root, "real"))).toEqual(["app"]);
    expect(fs.readdirSync(root).sort()).toEqual(["real", "via"]);
    fs.symlinkSync(path.join(root, "nowhere"), path.join(root, "broken"));
    const broken = await runCli(["broken/app", ...BASE], { cwd: root });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/is a symbolic link to .*nowhere, which does not exist: create that directory/);
    expect(fs.existsSync(path.join(root, "nowhere"))).toBe(false);
  });

  it("with --force, never writes through a symbolic link inside the target", async () => {
    const root = fresh("link-inside");
    const outside = path.join(root, "outside");
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, "victim"), "mine");
    const app = path.join(root, "app");
    fs.mkdirSync(app);
    fs.symlinkSync(path.join(outside, "victim"), path.join(app, "package.json"));
    fs.symlinkSync(outside, path.join(app, "src"));
    const before = tree(root);
    const result = await runCli(["app", ...BASE, "--force"], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/is in the way in "app"\. Move it away and run again/);
    expect(tree(root)).toEqual(before);
    expect(fs.readFileSync(path.join(outside, "victim"), "utf8")).toBe("mine");
  });

  it("refuses a file where the directory, or one of its parents, should be", async () => {
    const root = fresh("file");
    fs.writeFileSync(path.join(root, "taken"), "mine");
    const target = await runCli(["taken", ...BASE], { cwd: root });
    expect(target.exitCode).toBe(2);
    expect(target.stderr).toMatch(/exists and is not a directory: choose another name/);
    const parent = await runCli(["taken/app", ...BASE], { cwd: root });
    expect(parent.exitCode).toBe(2);
    expect(parent.stderr).toMatch(/"[^"]*taken" is a file, not a directory, so nothing can be created inside it/);
    expect(tree(root)).toEqual(["taken"]);
  });

  const unprivileged = process.getuid?.() === 0 ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] : [];
  it("fails with exit 1 and a clear message in a parent it cannot write, leaving nothing behind", async () => {
    const root = fresh("read-only");
    fs.chmodSync(work.dir, 0o755);
    fs.chmodSync(root, 0o755);
    const locked = path.join(root, "locked");
    fs.mkdirSync(locked, { mode: 0o755 });
    if (unprivileged.length === 0) fs.chmodSync(locked, 0o555); // root is not stopped by modes: it runs as nobody instead
    for (const name of ["locked/app", "locked/deeper/app"]) {
      const [command, ...prefix] = [...unprivileged, process.execPath, BIN];
      const result = await execa(command!, [...prefix, name, ...BASE, "--json"], { cwd: root, reject: false, stdin: "ignore", env: { HOME: root } });
      expect(result.exitCode, result.stderr).toBe(1);
      const error = onlyJson(result.stdout).error;
      expect(error).toMatchObject({ code: "not_writable", exitCode: 1 });
      expect(error.message).toMatch(/Cannot create the project in ".*locked\/(deeper\/)?app": permission denied \(EACCES at .*\)\. Choose a directory you can write to, or fix its permissions/);
      expect(fs.readdirSync(locked)).toEqual([]);
    }
    expect(fs.readdirSync(root)).toEqual(["locked"]);
  });

  it.each([
    ["日本語", /"日本語" leaves no valid package name: use letters, digits, spaces or dashes/],
    ["é".repeat(130), /is 260 bytes long; file systems allow at most 255 bytes per name: choose a shorter one/],
    ["a".repeat(300), /is 300 bytes long; file systems allow at most 255 bytes per name/],
    ["bad\u001b]0;owned\u0007name", /contains control characters \("bad\\u001b\]0;owned\\u0007name"\)/],
    ["line\nbreak", /contains control characters/],
    ["node_modules", /"node_modules" is where npm keeps installed packages, so a project cannot go there: choose another name/],
    [".git", /"\.git" is git's own directory/],
  ])("refuses the directory %j with exit 2, a message that says what to do, and nothing written", async (name, message) => {
    const root = fresh("refused");
    const result = await runCli([name, ...BASE, "--json"], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(onlyJson(result.stdout).error.message).toMatch(message);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it.each([
    ["favicon.ico", "faviconico"],
    ["http", "http"], // a core module's name is fine for a private package (the generated package.json is private)
    [".hidden", "hidden"],
    ["_under", "under"],
    ["UPPER Case", "upper-case"],
    ["Café Ünïcode", "caf-ncode"],
    ["emoji😀app", "emojiapp"],
    ["b".repeat(250), "b".repeat(63)], // under npm's 214 and the Worker limit of 63
  ])("turns the directory %j into a valid package name (%j)", async (name, packageName) => {
    const root = fresh("named");
    const result = await runCli([name, ...BASE, "--json"], { cwd: root });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(onlyJson(result.stdout).packageName).toBe(packageName);
    expect(fs.readdirSync(root)).toEqual([name]);
    expect(JSON.parse(fs.readFileSync(path.join(root, name, "package.json"), "utf8"))).toMatchObject({ name: packageName, private: true });
  });

  const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id).join(", ");
  it.each([
    [["--template", "../x"], `Unknown template "../x". Valid templates: ${ids(catalog.templates)}.`],
    [["--template", "/etc/passwd"], `Valid templates: ${ids(catalog.templates)}.`],
    [["--tools", "../../etc"], `Unknown tool pack "../../etc". Valid tool packs: ${ids(catalog.tools)}`],
    [["--tools", "whoami,../shop"], `Unknown tool pack "../shop".`],
    [["--target", "../workers"], `Unknown target "../workers". Valid targets: ${ids(catalog.targets)}.`],
    [["--package-manager", "../../bin/sh"], 'Unknown package manager "../../bin/sh". Valid package managers: npm, pnpm, yarn, bun.'],
    [["--auth-mode", "../direct"], 'Unknown auth mode "../direct".'],
  ])("refuses %j as a usage error naming the valid choices", async (flag, message) => {
    const root = fresh("choice");
    const args = ["app", "-t", "workos", "--target", "workers", "--no-install", "--no-git"];
    const result = await runCli([...args, ...flag], { cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});

/** Starts the CLI with rendering slowed down; resolves once it is rendering, with the child and its exit. */
async function startSlowRender(args: string[], cwd: string) {
  const marker = path.join(path.dirname(cwd), `${path.basename(cwd)}.rendering`);
  const child: ChildProcess = spawn(process.execPath, ["--import", SLOW_RENDER, BIN, ...args], {
    cwd,
    env: { ...process.env, CMA_TEST_RENDER_MARKER: marker, npm_config_user_agent: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  await waitFor(() => fs.existsSync(marker) || child.exitCode !== null, () => `render never started (exit ${child.exitCode}): ${stderr}`);
  if (!fs.existsSync(marker)) throw new Error(`render never started (exit ${child.exitCode}): ${stderr}`);
  fs.rmSync(marker);
  return { child, exited, stderr: () => stderr };
}

async function waitFor(ready: () => boolean, why: () => string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("cloud input", () => {
  it("refuses an account id that is not one, from the flag, the environment or a cloned project's state file, before any call", async () => {
    const root = fresh("account-id");
    expect((await runCli(["app", "-t", "oidc", "--target", "workers", "--tools", "none", "--no-install", "--no-git"], { cwd: root })).exitCode).toBe(0);
    const dir = path.join(root, "app");
    // Credentials that reach nothing: a call would fail with a network error, not a usage error.
    const env = { CLOUDFLARE_API_TOKEN: "cf-token", OIDC_ISSUER: "https://issuer.example", CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4", CREATE_MCP_AUTH_HTTP_RETRIES: "0" };
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--account-id", "../../zones"], {}, /^--account-id is "\.\.\/\.\.\/zones", which is not a Cloudflare account id/],
      [[], { CLOUDFLARE_ACCOUNT_ID: "abc/def" }, /^CLOUDFLARE_ACCOUNT_ID is "abc\/def", which is not a Cloudflare account id/],
    ];
    for (const [args, extra, message] of cases) {
      const run = await runCli(["provision", ...args, "--json"], { cwd: dir, env: { ...env, ...extra } });
      expect(run.exitCode, run.stderr).toBe(2);
      expect(onlyJson(run.stdout).error.message).toMatch(message);
    }
    fs.mkdirSync(path.join(dir, ".create-mcp-auth"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".create-mcp-auth/state.json"), JSON.stringify({ version: 1, accountId: "x?y=1#", url: null, resources: [], pending: [] }));
    const fromState = await runCli(["provision", "--json"], { cwd: dir, env });
    expect(fromState.exitCode, fromState.stderr).toBe(2);
    expect(onlyJson(fromState.stdout).error.message).toMatch(/^\.create-mcp-auth\/state\.json's accountId is "x\?y=1#", which is not a Cloudflare account id/);
  });
});

describe("signals", () => {
  it.each([
    ["SIGINT", 130, "Cancelled."],
    ["SIGTERM", 143, "Stopped."],
  ] as const)("%s mid-render removes the staging directory, leaves no project and exits %i", async (signal, code, said) => {
    const root = fresh(`render-${signal}`);
    const run = await startSlowRender(["a/b/app", ...BASE], root);
    expect(fs.readdirSync(path.join(root, "a/b")).filter((f) => STAGING.test(f))).toHaveLength(1);
    run.child.kill(signal);
    expect((await run.exited).code).toBe(code);
    expect(run.stderr()).toContain(said);
    expect(run.stderr()).not.toContain("The project is in"); // nothing to finish: there is no project
    expect(tree(root)).toEqual([]); // the parents it made are gone too
  });

  it("a staging directory left by kill -9 is swept by the next run; nothing else that looks like one is", async () => {
    const root = fresh("sigkill");
    const run = await startSlowRender(["first", ...BASE], root);
    run.child.kill("SIGKILL");
    expect((await run.exited).signal).toBe("SIGKILL");
    const left = fs.readdirSync(root).filter((f) => STAGING.test(f));
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(`-${run.child.pid}-`);
    expect(fs.existsSync(path.join(root, "first"))).toBe(false);

    // Decoys: a live run's (this test's pid), names that are not ours, a file and a link with a dead pid's name.
    const outside = fresh("sigkill-outside");
    fs.writeFileSync(path.join(outside, "keep"), "mine");
    const decoys = [`.create-mcp-auth-staging-${process.pid}-0badc0de`, ".create-mcp-auth-staging-notours", ".first.create-mcp-auth-0badc0de"];
    for (const d of decoys) fs.mkdirSync(path.join(root, d));
    fs.writeFileSync(path.join(root, ".create-mcp-auth-staging-999999999-00000000"), "a file");
    fs.symlinkSync(outside, path.join(root, ".create-mcp-auth-staging-999999998-00000000"));

    const next = await runCli(["second", ...BASE], { cwd: root });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(fs.readdirSync(root).sort()).toEqual(
      [...decoys, ".create-mcp-auth-staging-999999998-00000000", ".create-mcp-auth-staging-999999999-00000000", "second"].sort(),
    );
    expect(fs.readdirSync(outside)).toEqual(["keep"]);
  });

  describe("mid-install", () => {
    // A registry stand-in that takes every request and never answers: npm install waits on it until stopped.
    let registry: http.Server;
    let asked = 0;
    let shims: string;
    beforeAll(async () => {
      registry = http.createServer(() => void asked++);
      await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
      shims = fresh("shims");
      const npm = (await execa("sh", ["-c", "command -v npm"])).stdout.trim();
      // Records npm's pid (exec keeps it), so the test can tell npm was stopped too.
      fs.writeFileSync(path.join(shims, "npm"), `#!/bin/sh\necho $$ > "$CMA_TEST_NPM_PID"\nexec "${npm}" "$@"\n`, { mode: 0o755 });
    });
    afterAll(() => {
      registry.closeAllConnections();
      registry.close();
    });

    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); // a zombie has stopped
      } catch {
        return false;
      }
    };

    it.each([
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const)("%s keeps the finished project, stops npm, leaves no stray files, says what to run, and exits %i", async (signal, code) => {
      const root = fresh(`install-${signal}`);
      const tmp = fresh(`install-${signal}-tmp`);
      const pidFile = path.join(tmp, "..", `${path.basename(tmp)}.npm-pid`);
      const seen = asked;
      const port = (registry.address() as AddressInfo).port;
      const child = spawn(process.execPath, [BIN, "app", "-t", "authless", "--target", "node", "--tools", "none", "--no-git"], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          PATH: `${shims}:${process.env.PATH}`,
          TMPDIR: tmp,
          CMA_TEST_NPM_PID: pidFile,
          npm_config_user_agent: undefined,
          npm_config_registry: `http://127.0.0.1:${port}/`,
          npm_config_cache: path.join(tmp, "..", `${path.basename(tmp)}.npm-cache`),
          npm_config_fetch_retries: "0",
          npm_config_fetch_timeout: "600000",
        },
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      await waitFor(() => asked > seen && fs.existsSync(pidFile), () => `npm never asked the registry: ${stderr}`);
      const npmPid = Number(fs.readFileSync(pidFile, "utf8"));
      expect(alive(npmPid)).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toMatch(/The project is in .*app; to finish it:\n {2}cd app\n {2}npm install\n/);
      expect(fs.existsSync(path.join(root, "app", "package.json"))).toBe(true);
      expect(fs.readdirSync(root)).toEqual(["app"]); // no staging directory
      await waitFor(() => !alive(npmPid), () => `npm (pid ${npmPid}) still runs`, 15_000);
      // No stray temporary files (npm keeps its compiled-code cache there; it is meant to stay).
      expect(fs.readdirSync(tmp).filter((f) => f !== "node-compile-cache")).toEqual([]);
    });
  });
});

describe("property: whatever the input", () => {
  // Directory names from pieces that have tricked CLIs before: separators, dot segments, unicode, control characters,
  // reserved names, leading dashes and dots, very long segments.
  const piece = fc.oneof(
    fc.constantFrom("..", ".", "", "app", "My App", "node_modules", ".git", "http", "favicon.ico", ".hidden", "_x", "-dash", "UPPER", "日本", "é", "😀", "a b", "$(id)", "`id`", "'q'", '"dq"', "\\", "~", "%2e%2e", "\u001b[2J", "\t", "\u202e", "con", "a".repeat(254), "é".repeat(128)),
    fc.string({ unit: fc.constantFrom("a", "Z", "0", "-", "_", ".", " ", "é", "ß", "字", "😀", "\\", ":", "*", "?", "\u0085"), maxLength: 12 }),
  );
  // Relative names that stay inside each run's root (the CLI runs in <root>/a/b); absolute ones are tested above.
  const directoryName = fc
    .array(piece, { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join("/"))
    .filter((d) => !d.startsWith("/") && !path.posix.normalize(`a/b/${d}`).startsWith(".."));
  const choice = (valid: readonly string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom("../x", "/etc", "nope", "WORKOS", " authless", "none,whoami", "whoami,../../etc") });
  const runArgs = fc.record({
    directory: directoryName,
    template: choice(catalog.templates.map((t) => t.id)),
    target: choice(catalog.targets.map((t) => t.id)),
    tools: fc.option(choice(["none", "whoami", "whoami,shop", "shop,audit", "admin"]), { nil: undefined }),
    force: fc.boolean(),
  });

  it("exits 0 or 2 with a message, writes only inside the target, and does what its --dry-run plan says", async () => {
    // Each run gets its own root; the CLI runs two levels down, so at most two ".." stay inside the root.
    const outcomes = { created: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(runArgs, async ({ directory, template, target, tools, force }) => {
        const root = fresh("prop");
        const cwd = path.join(root, "a", "b");
        fs.mkdirSync(cwd, { recursive: true });
        fs.writeFileSync(path.join(root, "sentinel"), "mine");
        const before = tree(root);
        // Options first: after "--" everything is the directory, even a name that starts with a dash.
        const options = ["-t", template, "--target", target, ...(tools !== undefined ? ["--tools", tools] : []), ...(force ? ["--force"] : []), "--no-install", "--no-git", "--json"];
        const argv = [...options, "--", directory];
        const dry = await runCli([...options, "--dry-run", "--", directory], { cwd });
        expect([0, 2], dry.stderr).toContain(dry.exitCode);
        const plan = onlyJson(dry.stdout);
        expect(tree(root)).toEqual(before); // a dry run writes nothing
        if (dry.exitCode === 2) {
          outcomes.refused++;
          expect(plan.error.message.length).toBeGreaterThan(10);
          expect(dry.stderr).toContain(`create-mcp-auth: ${plan.error.message.split("\n")[0]}`);
          return;
        }
        outcomes.created++;
        const real = await runCli(argv, { cwd });
        expect(real.exitCode, real.stderr).toBe(0);
        const done = onlyJson(real.stdout);
        for (const key of ["directory", "packageName", "template", "authMode", "target", "tools", "files"]) expect(done[key], key).toEqual(plan[key]);
        const projectDir: string = done.directory;
        expect(projectDir === root || projectDir.startsWith(`${root}${path.sep}`)).toBe(true);
        // The files written are the files planned; outside the target only the parents it needed appeared.
        const written = filesIn(projectDir).filter((f) => !before.includes(path.relative(root, path.join(projectDir, f))));
        expect(written).toEqual([...plan.files].sort());
        const relTarget = path.relative(root, projectDir);
        const insideTarget = (entry: string) => relTarget === "" || entry === relTarget || entry.startsWith(`${relTarget}${path.sep}`);
        const parentOfTarget = (entry: string) => relTarget.startsWith(`${entry}${path.sep}`);
        const after = tree(root);
        expect(before.filter((e) => !after.includes(e))).toEqual([]);
        expect(after.filter((e) => !before.includes(e) && !insideTarget(e) && !parentOfTarget(e))).toEqual([]);
        expect(fs.readFileSync(path.join(root, "sentinel"), "utf8")).toBe("mine");
      }),
      { numRuns: 40, interruptAfterTimeLimit: 90_000 },
    );
    // Both paths were taken (the generators lean towards valid choices so that some runs create a project).
    expect(outcomes.created, JSON.stringify(outcomes)).toBeGreaterThan(3);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(3);
  });
});
