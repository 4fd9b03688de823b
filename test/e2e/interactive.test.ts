import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, tempDir } from "../helpers/cli.js";

// The prompts, answered through a real pseudo-terminal (Python's pty module), with CI removed from the environment.
const DOWN = "\x1b[B";
const ENTER = "\r";
const CTRL_C = "\x03";

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("interactive");
});
afterAll(() => work.cleanup());

function drive(args: string[], steps: [RegExp, string][]) {
  return execa(
    "python3",
    [
      path.join(REPO_ROOT, "test/helpers/pty-drive.py"),
      work.dir,
      JSON.stringify([process.execPath, BIN, ...args]),
      JSON.stringify(steps.map(([pattern, answer]) => [pattern.source, answer])),
    ],
    { reject: false },
  );
}

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

  it("ask before writing into a non-empty directory", async () => {
    const dir = path.join(work.dir, "busy");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
    const declined = await drive(["busy", "-t", "authless", "--target", "node", "--tools", "none", "--no-install", "--no-git"], [
      [/not empty\. Write into it anyway\?/, ENTER],
    ]);
    expect(declined.exitCode).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(["keep.txt"]);
    fs.rmSync(dir, { recursive: true });
  });

  it("exit 130 on Ctrl-C at a prompt, leaving nothing behind", async () => {
    const result = await drive(["cancelled-app"], [[/Which sign-in\?/, CTRL_C]]);
    expect(result.exitCode).toBe(130);
    expect(fs.readdirSync(work.dir)).toEqual([]);
  });
});
