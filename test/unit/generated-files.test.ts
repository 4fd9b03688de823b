import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { catalog } from "../../src/catalog/index.js";
import { PACKAGE_MANAGERS } from "../../src/options/validate.js";
import { TEMPLATES_ROOT } from "../../src/paths.js";
import { createPlan, projectSettings } from "../../src/plan/plan.js";
import { readTemplateTree } from "../../src/render/template-tree.js";
import { writeProject } from "../../src/render/write-project.js";
import { everyTemplateTargetMode } from "../helpers/combinations.js";
import { optionsFor } from "../helpers/options.js";

// The real templates rendered (no install) for every template × target × package manager, with every pack and none:
// what cannot run here (GitHub Actions, the Deploy button) is at least checked to parse and to call scripts that exist.
let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "cma-files-"));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const cases = everyTemplateTargetMode().flatMap(({ usablePacks, ...choice }) =>
  PACKAGE_MANAGERS.flatMap((packageManager) => [usablePacks, []].map((tools) => ({ ...choice, packageManager, tools }))),
);

let rendered = 0;
async function render(c: (typeof cases)[number]) {
  const directory = `${c.template}-${c.target}-${c.authMode}-${c.packageManager}-${c.tools.length}-${rendered++}`;
  const options = optionsFor({ ...c, directory, projectDir: path.join(work, directory), packageName: directory });
  await writeProject(createPlan(options, { catalog, templateTree: readTemplateTree(TEMPLATES_ROOT), cliVersion: "0.0.0-test", cwd: work }), TEMPLATES_ROOT);
  const dir = path.join(work, directory);
  const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
  return { dir, read, exists: (file: string) => fs.existsSync(path.join(dir, file)) };
}

/** Names assigned or commented out as `NAME=` in an example settings file. */
const settingNames = (text: string) => [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);

describe.each(cases)("$template ($authMode) on $target with $packageManager and tools $tools", (c) => {
  it("renders files that parse, scripts that exist, and the stamp", async () => {
    const project = await render(c);
    const pkg = JSON.parse(project.read("package.json"));
    expect(pkg.name).toMatch(/^[a-z0-9-]+$/);
    expect(pkg["create-mcp-auth"]).toEqual({ version: "0.0.0-test", template: c.template, authMode: c.authMode, target: c.target, tools: c.tools });
    for (const script of ["dev", "test", "typecheck", c.target === "workers" ? "deploy" : "start"]) expect(pkg.scripts[script]).toBeTruthy();
    expect(pkg.scripts.dev).not.toMatch(/\$PORT|%PORT%|\$\{/); // no shell-specific expansion

    const workflow = parseYaml(project.read(".github/workflows/ci.yml"));
    const runs: string[] = Object.values<{ steps: { run?: string }[] }>(workflow.jobs).flatMap((job) => job.steps.flatMap((s) => s.run ?? []));
    const run = c.packageManager === "npm" ? "npm run" : c.packageManager;
    expect(runs).toEqual([`${c.packageManager} install`, `${run} typecheck`, `${run} test`]);

    // An example settings file ships no working key: COOKIE_ENCRYPTION_KEY needs 32+ characters, its example has fewer.
    const example = project.read(c.target === "workers" ? ".dev.vars.example" : ".env.example");
    for (const [, key] of example.matchAll(/^#\s*COOKIE_ENCRYPTION_KEY=(.*)$/gm)) expect(key!.trim().length).toBeLessThan(32);

    const gitignore = project.read(".gitignore").split("\n");
    expect(gitignore).toEqual(expect.arrayContaining(["node_modules", ".env", ".dev.vars"].map((p) => expect.stringMatching(new RegExp(`^/?${p.replace(".", "\\.")}/?$`)))));

    const readme = project.read("README.md");
    // With sign-in, the first section is the minute-long path through the development sign-in, then how to switch.
    const firstSection = readme.match(/^## (.+)$/m)![1];
    expect(firstSection).toBe(c.authMode ? "Try it in a minute" : "Set up");
    if (c.authMode) expect(readme).toMatch(/npx create-mcp-auth provision` sets it up and writes the settings\n?\s*\(`/);
    const sections = ["Set up", "Run locally", "Connect a client", "Deploy", "Tools", "Add a tool", "Settings"];
    const positions = sections.map((s) => readme.indexOf(`## ${s}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const tool of catalog.tools.filter((p) => c.tools.includes(p.id)).flatMap((p) => p.tools)) expect(readme).toContain(`| \`${tool.name}\` |`);
    // Every template with sign-in lets its operator name the server on the pages people see.
    for (const name of ["SERVER_NAME", "SERVER_LOGO_URL"]) expect(readme.includes(`| \`${name}\` |`), name).toBe(c.authMode !== null);
    // Markdown needs a blank line before a heading that follows a paragraph (sections come from several partials).
    const lines = readme.split("\n");
    for (const [i, line] of lines.entries()) if (i > 0 && line.startsWith("## ")) expect(lines[i - 1], line).toBe("");
  });

  if (c.target === "workers") {
    it("has a wrangler.jsonc, a Deploy button, and the same settings everywhere they are listed", async () => {
      const project = await render(c);
      const errors: ParseError[] = [];
      const wrangler = parseJsonc(project.read("wrangler.jsonc"), errors);
      expect(errors).toEqual([]);
      expect(wrangler).toMatchObject({ name: expect.stringMatching(/^[a-z0-9-]+$/), main: "src/index.ts" });
      expect(project.exists(wrangler.main)).toBe(true);

      const button = project.read("README.md").match(/\(https:\/\/deploy\.workers\.cloudflare\.com\/\?url=([^)\s]+)\)/);
      expect(button).not.toBeNull();
      expect(new URL(button![1]!).protocol).toBe("https:");

      const examples = settingNames(project.read(".dev.vars.example")).sort();
      const bindings = Object.keys(JSON.parse(project.read("package.json")).cloudflare.bindings).sort();
      const devList = (name: string) => JSON.parse(project.read("scripts/dev.mjs").match(new RegExp(`const ${name} = (\\[[^\\]]*\\])`))![1]!) as string[];
      const forwarded = [...devList("VARS"), ...devList("SECRETS")].sort();
      expect(devList("VARS").sort()).toEqual(Object.keys(wrangler.vars).sort()); // secrets never go as --var
      expect(examples.length).toBeGreaterThan(0);
      const kv = ((wrangler.kv_namespaces ?? []) as { binding: string }[]).map((k) => k.binding);
      expect(bindings).toEqual([...examples, ...kv].sort());
      if (c.authMode === "proxy") expect(kv).toContain("OAUTH_KV");
      expect(forwarded).toEqual(examples);
    });
  } else {
    it("has an .env.example naming every setting, and a Dockerfile that serves on all interfaces in production", async () => {
      const project = await render(c);
      expect(settingNames(project.read(".env.example"))).toEqual(projectSettings(optionsFor(c), catalog).map((s) => s.name));
      const dockerfile = project.read("Dockerfile");
      expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
      expect(dockerfile).toMatch(/NODE_ENV=production/);
    });
  }
});

describe("workos proxy mode signing in through the environment's AuthKit client (--workos-client environment)", () => {
  const proxy = { template: "workos" as const, target: "workers" as const, authMode: "proxy" as const, packageManager: "npm" as const, tools: ["whoami" as const] };
  const required = (project: Awaited<ReturnType<typeof render>>) => parseJsonc(project.read("wrangler.jsonc")).secrets.required as string[];

  it("records the choice in the stamp and needs no application secret at deploy", async () => {
    const environment = await render({ ...proxy, workosClient: "environment" } as (typeof cases)[number]);
    expect(JSON.parse(environment.read("package.json"))["create-mcp-auth"].workosClient).toBe("environment");
    expect(required(environment)).toEqual(["WORKOS_API_KEY", "COOKIE_ENCRYPTION_KEY"]);
    // Its own application needs its secret; the API key it only reads when set (a person's email and name) is not required.

    const own = await render(proxy);
    expect(JSON.parse(own.read("package.json"))["create-mcp-auth"]).not.toHaveProperty("workosClient");
    expect(required(own)).toEqual(["WORKOS_APP_CLIENT_SECRET", "COOKIE_ENCRYPTION_KEY"]);
  });
});
