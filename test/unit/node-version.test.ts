import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { olderNodeWarning } from "../../src/options/node-version.js";
import { REPO_ROOT } from "../helpers/cli.js";

const target = (id: string) => catalog.targets.find((t) => t.id === id)!;

describe("the Node.js a generated project needs", () => {
  it("is warned about when this Node.js is older, and only then", () => {
    expect(olderNodeWarning(target("node"), "22.12.0")).toBe(
      "This is Node.js 22.12.0; a Node.js project needs Node.js 22.13 or newer to run. It is created anyway: install a newer Node.js (https://nodejs.org) before you run it.",
    );
    expect(olderNodeWarning(target("node"), "v21.9.9")).toMatch(/^This is Node\.js 21\.9\.9;/);
    for (const newer of ["22.13.0", "22.20.1", "23.0.0", "24.21.0"]) expect(olderNodeWarning(target("node"), newer)).toBeUndefined();
    expect(olderNodeWarning(target("workers"), "22.12.0")).toBeUndefined();
  });

  it("is what each target's generated package.json engines and README say", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "templates/base/README.md.hbs"), "utf8");
    const [, workersInReadme, nodeInReadme] = /Needs Node\.js \{\{#if workers\}\}([\d.]+)\{\{else\}\}([\d.]+)\{\{\/if\}\} or newer/.exec(readme)!;
    expect({ workers: workersInReadme, node: nodeInReadme }).toEqual({ workers: target("workers").minimumNode, node: target("node").minimumNode });
    for (const { id, minimumNode } of catalog.targets) {
      const pkg = fs.readFileSync(path.join(REPO_ROOT, `templates/targets/${id}/package.json.hbs`), "utf8");
      expect(pkg).toContain(`"node": ">=${minimumNode}"`);
    }
  });
});
