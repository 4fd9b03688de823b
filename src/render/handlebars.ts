// The Handlebars *runtime* only: templates arrive precompiled (src/render/template-specs.ts), so a scaffold loads no
// template parser, code generator or `source-map`.
import Handlebars from "handlebars/runtime";
import { TOOL_PACK_IDS } from "../catalog/types.js";
import { VERSIONS, type PackageWithVersion } from "../catalog/versions.js";
import type { TemplateContext } from "../plan/types.js";

/** A precompiled template: what `Handlebars.precompile` returns, evaluated. */
export type TemplateSpec = Parameters<typeof Handlebars.template>[0];
/** Partial name → its precompiled template. */
export type Partials = Record<string, TemplateSpec>;

function createHandlebars(context: TemplateContext, partials: Partials) {
  const hbs = Handlebars.create();
  for (const [name, spec] of Object.entries(partials)) hbs.registerPartial(name, hbs.template(spec));
  hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hbs.registerHelper("json", (value: unknown) => JSON.stringify(value));
  hbs.registerHelper("version", (name: string) => {
    if (!(name in VERSIONS)) throw new Error(`No version for "${name}" in src/catalog/versions.ts`);
    return VERSIONS[name as PackageWithVersion];
  });
  hbs.registerHelper("hasTool", (id: string) => {
    if (!(TOOL_PACK_IDS as readonly string[]).includes(id)) throw new Error(`hasTool: "${id}" is not a tool pack id (TOOL_PACK_IDS in src/catalog/types.ts)`);
    return (context.tools as readonly string[]).includes(id);
  });
  hbs.registerHelper("camel", (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
  return hbs;
}

/** Renders one precompiled template (compiled with `noEscape` and `strict`, see compile-options.json). */
export function renderTemplate(spec: TemplateSpec, context: TemplateContext, templatePath: string, partials: Partials = {}): string {
  try {
    return createHandlebars(context, partials).template(spec)(context);
  } catch (error) {
    throw new Error(`Rendering templates/${templatePath} failed: ${(error as Error).message}`);
  }
}
