import Handlebars from "handlebars";
import { VERSIONS, type PackageWithVersion } from "../catalog/versions.js";
import type { TemplateContext } from "../plan/types.js";

function createHandlebars(context: TemplateContext) {
  const hbs = Handlebars.create();
  hbs.registerHelper("json", (value: unknown) => JSON.stringify(value));
  hbs.registerHelper("version", (name: string) => {
    if (!(name in VERSIONS)) throw new Error(`No version for "${name}" in src/catalog/versions.ts`);
    return VERSIONS[name as PackageWithVersion];
  });
  hbs.registerHelper("hasTool", (id: string) => context.tools.includes(id));
  hbs.registerHelper("camel", (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
  return hbs;
}

export function renderTemplate(source: string, context: TemplateContext, templatePath: string): string {
  try {
    return createHandlebars(context).compile(source, { noEscape: true, strict: true })(context);
  } catch (error) {
    throw new Error(`Rendering templates/${templatePath} failed: ${(error as Error).message}`);
  }
}
