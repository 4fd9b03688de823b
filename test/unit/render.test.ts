import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { VERSIONS } from "../../src/catalog/versions.js";
import { UsageError } from "../../src/errors.js";
import { createPlan } from "../../src/plan/plan.js";
import { renderTemplate as renderSpec } from "../../src/render/handlebars.js";
import { specOf } from "../../src/render/template-specs.js";
import { outputPathFor } from "../../src/render/output-path.js";
import { readTemplateTree } from "../../src/render/template-tree.js";
import { writeProject } from "../../src/render/write-project.js";
import { optionsFor } from "../helpers/options.js";

let work: string;
let templates: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "cma-render-"));
  templates = path.join(work, "templates");
  const files: Record<string, string> = {
    "base/_gitignore": "node_modules\n",
    "base/README.md.hbs": "# {{title}}\n",
    "base/src/app.ts": "export const app = 1;\n",
    "targets/workers/package.json.hbs": '{ "name": "{{name}}", "dependencies": { "hono": "{{version "hono"}}" } }\n',
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(templates, file)), { recursive: true });
    fs.writeFileSync(path.join(templates, file), content);
  }
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const planFor = (directory: string, overrides = {}) =>
  createPlan(optionsFor({ directory, projectDir: path.join(work, directory), tools: [], ...overrides }), {
    catalog,
    templateTree: readTemplateTree(templates),
    cliVersion: "1.0.0",
    cwd: work,
  });

/** Everything in `work` except the templates, so a stray staging directory shows up. */
const leftovers = () => fs.readdirSync(work).filter((f) => f !== "templates");

describe("output paths", () => {
  it("turn _ into . and drop .hbs", () => {
    expect(outputPathFor("_gitignore")).toBe(".gitignore");
    expect(outputPathFor("_github/workflows/ci.yml.hbs")).toBe(".github/workflows/ci.yml");
    expect(outputPathFor("src/my_file.ts")).toBe("src/my_file.ts");
  });
});

const renderTemplate = (source: string, ...rest: Parameters<typeof renderSpec> extends [unknown, ...infer R] ? R : never) => renderSpec(specOf(source), ...rest);

describe("renderTemplate", () => {
  it("offers json, version, hasTool and camel", () => {
    const context = planFor("x").context;
    expect(renderTemplate('{{json title}} {{version "wrangler"}} {{#if (hasTool "whoami")}}yes{{else}}no{{/if}} {{camel "demo-mode"}}', { ...context, tools: ["whoami"] }, "t")).toBe(
      `"x" ${VERSIONS.wrangler} yes demoMode`,
    );
  });
  it("fails loudly on an unknown package, variable or tool pack, naming the template", () => {
    const context = planFor("x").context;
    expect(() => renderTemplate('{{version "left-pad"}}', context, "base/package.json.hbs")).toThrow(/base\/package.json.hbs.*left-pad/);
    expect(() => renderTemplate("{{nope}}", context, "base/x.hbs")).toThrow(/base\/x.hbs/);
    expect(() => renderTemplate('{{#if (hasTool "shopp")}}x{{/if}}', context, "base/y.hbs")).toThrow(/base\/y.hbs.*"shopp" is not a tool pack id/);
  });
});

describe("writeProject", () => {
  it("renders into a new directory and leaves no staging directory", async () => {
    await writeProject(planFor("My App"), templates);
    const dir = path.join(work, "My App");
    expect(fs.readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe("node_modules\n");
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("# My App\n");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))).toEqual({
      name: "my-server",
      dependencies: { hono: VERSIONS.hono },
    });
    expect(leftovers()).toEqual(["My App"]);
  });

  it("creates missing parent directories", async () => {
    await writeProject(planFor("a/b/app"), templates);
    expect(fs.existsSync(path.join(work, "a/b/app/src/app.ts"))).toBe(true);
  });

  it("writes nothing at all when a template fails", async () => {
    fs.writeFileSync(path.join(templates, "base/broken.hbs"), "{{missing}}");
    await expect(writeProject(planFor("nested/app"), templates)).rejects.toThrow(/broken.hbs/);
    expect(leftovers()).toEqual([]);
  });

  it("with --force, overwrites same-named files and touches nothing else", async () => {
    const dir = path.join(work, "existing");
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "README.md"), "old");
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    fs.writeFileSync(path.join(dir, "src", "other.ts"), "mine");
    await writeProject(planFor("existing", { force: true }), templates);
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("# existing\n");
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(fs.readFileSync(path.join(dir, "src", "other.ts"), "utf8")).toBe("mine");
    expect(fs.existsSync(path.join(dir, "src", "app.ts"))).toBe(true);
    expect(leftovers()).toEqual(["existing"]);
  });

  it("with --force, stops before moving anything when a directory is in the way", async () => {
    const dir = path.join(work, "clash");
    fs.mkdirSync(path.join(dir, "README.md"), { recursive: true });
    fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
    await expect(writeProject(planFor("clash", { force: true }), templates)).rejects.toThrow(UsageError);
    expect(fs.readdirSync(dir).sort()).toEqual(["README.md", "keep.txt"]);
    expect(leftovers()).toEqual(["clash"]);
  });
});
