import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, tempDir } from "../helpers/cli.js";

// The README's two commands on a fresh clone: `npm install` (which must build the CLI) and running the checkout's CLI.
// It clones what is committed, as anyone cloning the repository gets it.
let work: ReturnType<typeof tempDir>;
let checkout: string;
beforeAll(async () => {
  work = tempDir("checkout");
  checkout = path.join(work.dir, "create-mcp-auth");
  await execa("git", ["clone", "--quiet", REPO_ROOT, checkout]);
}, 300_000);
afterAll(() => work.cleanup());

describe("a fresh checkout", () => {
  it("builds the CLI with `npm install` and creates a project with `node bin/create-mcp-auth.js`", async () => {
    const unbuilt = await execa(process.execPath, ["bin/create-mcp-auth.js", "--version"], { cwd: checkout, reject: false });
    expect(unbuilt.exitCode).toBe(1);
    expect(unbuilt.stderr).toMatch(/In a checkout of create-mcp-auth, run `npm install` first: it installs the dependencies and builds dist\/\.$/);
    const installed = await execa("npm", ["install", "--prefer-offline"], {
      cwd: checkout,
      reject: false,
      stdin: "ignore",
      env: { npm_config_fund: "false", npm_config_audit: "false", CI: "true" },
    });
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(fs.existsSync(path.join(checkout, "dist/cli.js"))).toBe(true);

    const created = await execa(process.execPath, ["bin/create-mcp-auth.js", "../my-mcp-server", "--template", "authless", "--yes", "--no-install", "--no-git"], {
      cwd: checkout,
      reject: false,
      stdin: "ignore",
    });
    expect(created.exitCode, created.stderr).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(work.dir, "my-mcp-server/package.json"), "utf8"));
    expect(pkg["create-mcp-auth"]).toMatchObject({ template: "authless", target: "workers" });
  });
});
