import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { BIN, tempDir } from "../helpers/cli.js";
import { nodeFromRegistry } from "../helpers/registry-node.js";

// The CLI itself runs on Node.js 22.12; a Node-target project needs 22.13 (node:sqlite without a flag).
let work: ReturnType<typeof tempDir>;
let node22_12: string;
beforeAll(async () => {
  work = tempDir("node-version");
  node22_12 = await nodeFromRegistry("22.12.0");
}, 300_000);
afterAll(() => work.cleanup());

const create = (node: string, name: string, target: string) =>
  execa(node, [BIN, name, "-t", "authless", "--target", target, "--tools", "none", "--no-install", "--no-git", "--json"], {
    cwd: work.dir,
    reject: false,
    stdin: "ignore",
  });

describe("creating on a Node.js older than the project needs", () => {
  it("warns before writing a Node project, and still creates it", async () => {
    const result = await create(node22_12, "old-node", "node");
    expect(result.exitCode, result.stderr).toBe(0);
    const warning = result.stderr.indexOf("! This is Node.js 22.12.0; a Node.js project needs Node.js 22.13 or newer to run.");
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(result.stderr.indexOf("Created"));
  });

  it("does not warn for a Workers project, or on a Node.js new enough", async () => {
    const workers = await create(node22_12, "old-node-workers", "workers");
    const current = await create(process.execPath, "current-node", "node");
    for (const result of [workers, current]) {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/This is Node\.js/);
    }
  });
});
