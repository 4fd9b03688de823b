import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, tempDir, writeRecordingShim } from "../helpers/cli.js";

// The prompts, answered through a real pseudo-terminal (Python's pty module), with CI removed from the environment.
const DOWN = "\x1b[B";
const UP = "\x1b[A";
const ENTER = "\r";
const CTRL_C = "\x03";
const BACKSPACE = "\x7f";

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("interactive");
});
afterAll(() => work.cleanup());

function drive(args: string[], steps: [RegExp, string][], env: Record<string, string> = {}) {
  return execa(
    "python3",
    [
      path.join(REPO_ROOT, "test/helpers/pty-drive.py"),
      work.dir,
      JSON.stringify([process.execPath, BIN, ...args]),
      JSON.stringify(steps.map(([pattern, answer]) => [pattern.source, answer])),
    ],
    { reject: false, env },
  );
}

/** PATH with an `npm` first that records its environment and then runs `then` instead of installing. */
function fakeNpm(then: string): Record<string, string> {
  const bin = path.join(work.dir, ".fake-bin");
  writeRecordingShim(bin, "npm", path.join(work.dir, ".records"), then);
  return { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
}

/** The fake npm's files, so a test can assert on what else it left in the work directory. */
const removeFakeNpm = () => ["fake-bin", "records"].forEach((d) => fs.rmSync(path.join(work.dir, `.${d}`), { recursive: true, force: true }));

describe("interactive prompts", () => {
  it("ask for directory, template, target and tools, then create the project", async () => {
    const result = await drive(
      ["--no-install", "--no-git"],
      [
        [/Where should the project go\?/, `Prompted App${ENTER}`],
        [/Which sign-in\?/, ENTER],
        [/Where will it run\?/, `${DOWN}${ENTER}`],
        [/Which tools\?/, ENTER],
        // What provisioning would make is listed, then asked about; Enter takes the default (no).
        [/Create them now\?/, ENTER],
      ],
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const dir = path.join(work.dir, "Prompted App");
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(pkg.name).toBe("prompted-app");
    // Enter takes the default template (workos); node allows one auth mode (direct), so it is not asked.
    expect(pkg["create-mcp-auth"]).toMatchObject({ template: "workos", authMode: "direct", target: "node", tools: ["whoami", "shop"] });
    expect(result.stdout).toMatch(/Next steps/);
    fs.rmSync(dir, { recursive: true });
  });

  it("say what each target and auth mode means, as the template choice does", async () => {
    const result = await drive(
      ["hinted", "-t", "workos", "--tools", "none"],
      [
        [/Where will it run\?[\s\S]*Cloudflare's edge/, DOWN],
        [/Node\.js ≥ 22\.13/, UP],
        [/Cloudflare's edge/, ENTER],
        [/Which auth mode\?[\s\S]*its own OAuth server/, DOWN],
        [/checks its tokens/, CTRL_C],
      ],
    );
    expect(result.exitCode, result.stdout).toBe(130);
    expect(fs.readdirSync(work.dir)).toEqual([]);
  });

  it("say why GitHub runs on Workers only, at the target choice", async () => {
    const result = await drive(["gh", "-t", "github", "--tools", "none"], [[/Where will it run\?[\s\S]*GitHub runs on Workers only/, CTRL_C]]);
    expect(result.exitCode, result.stdout).toBe(130);
    expect(result.stdout).toMatch(/GitHub runs on Workers only: GitHub cannot be the OAuth server[\s\S]*\(proxy mode\)/);
  });

  it("refuse a non-empty directory, given or typed, and ask again", async () => {
    const dir = path.join(work.dir, "busy");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
    const result = await drive(["busy", "-t", "authless", "--target", "node", "--tools", "none", "--no-install", "--no-git"], [
      [/"busy" is not empty: choose another directory, or pass --force[\s\S]*Where should the project go\?/, `busy${ENTER}`],
      [/"busy" is not empty: choose another directory/, `${BACKSPACE.repeat(4)}fresh${ENTER}`],
    ]);
    const busy = fs.readdirSync(dir);
    const fresh = fs.existsSync(path.join(work.dir, "fresh", "package.json"));
    for (const d of ["busy", "fresh"]) fs.rmSync(path.join(work.dir, d), { recursive: true, force: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(busy).toEqual(["keep.txt"]);
    expect(fresh).toBe(true);
  });

  it("exit 130 on Ctrl-C during the install, saying where the project is and what to run next", async () => {
    const env = fakeNpm("sleep 30");
    const result = await drive(["half-done", "-t", "authless", "--target", "node", "--tools", "none", "--package-manager", "npm"], [[/Installing dependencies/, CTRL_C]], env);
    removeFakeNpm();
    const dir = path.join(work.dir, "half-done");
    const written = fs.existsSync(path.join(dir, "package.json"));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.exitCode, result.stdout).toBe(130);
    expect(written).toBe(true);
    expect(result.stdout).toContain(`The project is in ${dir}; to finish it:`);
    expect(result.stdout).toMatch(/cd half-done\s+npm install\s+git init .*\s+npm run dev/);
    expect(result.stdout).not.toMatch(/Installing dependencies with npm failed/);
  });

  it("show the git step after the install, as runs without a terminal do", async () => {
    const env = fakeNpm("exit 0");
    const result = await drive(["with-git", "-t", "authless", "--target", "node", "--tools", "none", "--package-manager", "npm"], [], env);
    removeFakeNpm();
    fs.rmSync(path.join(work.dir, "with-git"), { recursive: true, force: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain("Dependencies installed");
    expect(result.stdout).toContain("Created a git repository with a first commit");
  });

  it("exit 130 on Ctrl-C at a prompt, leaving nothing behind", async () => {
    const result = await drive(["cancelled-app"], [[/Which sign-in\?/, CTRL_C]]);
    expect(result.exitCode).toBe(130);
    expect(fs.readdirSync(work.dir)).toEqual([]);
  });
});
