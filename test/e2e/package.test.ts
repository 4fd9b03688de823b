import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onlyJson, REPO_ROOT, tempDir } from "../helpers/cli.js";
import { nodeFromRegistry } from "../helpers/registry-node.js";

// What a user gets from the registry: the packed tarball, installed into an empty directory.
let work: ReturnType<typeof tempDir>;
let installedBin: string;
const npm = (args: string[], cwd: string) =>
  execa("npm", args, { cwd, reject: false, stdin: "ignore", env: { npm_config_fund: "false", npm_config_audit: "false", CI: "true" } });

beforeAll(async () => {
  work = tempDir("package");
  const packed = await npm(["pack", "--json", "--pack-destination", work.dir], REPO_ROOT);
  expect(packed.exitCode, packed.stderr).toBe(0);
  const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  const paths = files.map((f) => f.path);
  expect(paths).toContain("bin/create-mcp-auth.js");
  expect(paths).toContain("dist/cli.js");
  expect(paths).toContain("templates/base/_gitignore");
  expect(paths.filter((p) => p.startsWith("src/") || p.startsWith("test/"))).toEqual([]);
  fs.writeFileSync(path.join(work.dir, "package.json"), '{ "name": "consumer", "private": true }\n');
  const installed = await npm(["install", path.join(work.dir, filename)], work.dir);
  expect(installed.exitCode, installed.stderr).toBe(0);
  installedBin = path.join(work.dir, "node_modules/create-mcp-auth/bin/create-mcp-auth.js");
}, 300_000);
afterAll(() => work.cleanup());

describe("the packed package", () => {
  it("runs as `npx create-mcp-auth`", async () => {
    const result = await execa("npx", ["create-mcp-auth", "--version"], { cwd: work.dir, reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("runs as `npm create mcp-auth` and scaffolds from its own templates", async () => {
    // --silent keeps npm's own "> npx …" banner off stdout, leaving only our JSON there.
    const result = await npm(
      ["--silent", "create", "mcp-auth", "--", "from-tarball", "-t", "authless", "--target", "node", "--no-install", "--no-git", "--json"],
      work.dir,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const json = onlyJson(result.stdout);
    expect(json.ok).toBe(true);
    expect(fs.existsSync(path.join(work.dir, "from-tarball", ".gitignore"))).toBe(true);
    expect(fs.existsSync(path.join(work.dir, "from-tarball", "src"))).toBe(true);
  });

  it("tells a user on an old Node which Node it needs, without a stack trace", async () => {
    const oldNode = await nodeFromRegistry("20");
    const result = await execa(oldNode, [installedBin, "--help"], { reject: false });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/needs Node\.js 22\.12 or newer; this is Node\.js 20\./);
    expect(result.stdout).toBe("");
  });
});
