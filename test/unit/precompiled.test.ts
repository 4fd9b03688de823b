import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Handlebars from "handlebars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompiledModule, renderedTemplates } from "../../scripts/build.mjs";
import { catalog, type ToolPackId } from "../../src/catalog/index.js";
import { VERSIONS, type PackageWithVersion } from "../../src/catalog/versions.js";
import { TEMPLATES_ROOT } from "../../src/paths.js";
import { createPlan } from "../../src/plan/plan.js";
import type { TemplateContext } from "../../src/plan/types.js";
import { renderTemplate, type TemplateSpec } from "../../src/render/handlebars.js";
import { readTemplateTree } from "../../src/render/template-tree.js";
import { everyTemplateTargetMode } from "../helpers/combinations.js";
import { optionsFor } from "../helpers/options.js";

// The built CLI renders templates that scripts/build.mjs precompiled, with the Handlebars runtime only. Its output must
// be byte for byte what compiling each template's source at run time gives (the renderer before precompiling, kept
// here as the reference): every rendered file of every template × target × mode, with every pack and with none.

/** The reference: the full Handlebars, partials registered as source, each template compiled when it renders. */
function compileAtRunTime(source: string, context: TemplateContext, partials: Record<string, string>): string {
  const hbs = Handlebars.create();
  for (const [name, partial] of Object.entries(partials)) hbs.registerPartial(name, partial);
  hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hbs.registerHelper("json", (value: unknown) => JSON.stringify(value));
  hbs.registerHelper("version", (name: string) => {
    if (!(name in VERSIONS)) throw new Error(`No version for "${name}" in src/catalog/versions.ts`);
    return VERSIONS[name as PackageWithVersion];
  });
  hbs.registerHelper("hasTool", (id: string) => (context.tools as readonly string[]).includes(id));
  hbs.registerHelper("camel", (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
  return hbs.compile(source, { noEscape: true, strict: true })(context);
}

let work: string;
let specFor: (templatePath: string) => TemplateSpec;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "cma-precompiled-"));
  const file = path.join(work, "template-specs.mjs");
  fs.writeFileSync(file, precompiledModule(TEMPLATES_ROOT)); // what the build puts in place of src/render/template-specs.ts
  const built = (await import(pathToFileURL(file).href)) as { loadTemplateSpecs: () => Promise<typeof specFor> };
  specFor = await built.loadTemplateSpecs();
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const cases = everyTemplateTargetMode().flatMap(({ usablePacks, ...choice }) =>
  [usablePacks, ["whoami" as const], []].map((tools: ToolPackId[]) => ({ ...choice, tools })),
);

describe("precompiled templates", () => {
  it("cover every .hbs file under templates/", () => {
    const all = readTemplateTree(TEMPLATES_ROOT).filter((f) => f.endsWith(".hbs"));
    expect(renderedTemplates(TEMPLATES_ROOT)).toEqual(all);
    for (const file of all) expect(specFor(file), file).toBeTruthy();
  });

  it.each(cases)("render $template ($authMode) on $target with tools $tools byte for byte as compiling at run time does", (c) => {
    const directory = `${c.template}-${c.target}-${c.authMode}-${c.tools.length}`;
    const plan = createPlan(optionsFor({ ...c, directory, projectDir: path.join(work, directory), packageName: directory }), {
      catalog,
      templateTree: readTemplateTree(TEMPLATES_ROOT),
      cliVersion: "0.0.0-test",
      cwd: work,
    });
    const read = (source: string) => fs.readFileSync(path.join(TEMPLATES_ROOT, source), "utf8");
    const sources = Object.fromEntries(plan.partials.map((p) => [p.name, read(p.source)]));
    const specs = Object.fromEntries(plan.partials.map((p) => [p.name, specFor(p.source)]));
    const rendered = plan.files.filter((f) => f.render);
    expect(rendered.length).toBeGreaterThan(3);
    for (const file of rendered) {
      const expected = compileAtRunTime(read(file.source), plan.context, sources);
      expect(renderTemplate(specFor(file.source), plan.context, file.source, specs), file.source).toBe(expected);
    }
  });
});
