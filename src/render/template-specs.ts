import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import compileOptions from "./compile-options.json" with { type: "json" };
import type { TemplateSpec } from "./handlebars.js";

/**
 * Where precompiled templates come from. This file is what runs from the sources (vitest, `tsc`): it precompiles each
 * template from its file when asked, with the full Handlebars compiler. The build (scripts/build.mjs) replaces this
 * module with one that carries every template under templates/ already precompiled, with the same options, so the
 * built CLI never loads the compiler. Both export `precompileSource` (the build's too, which throws) and
 * `loadTemplateSpecs`.
 */

/** The JavaScript source of a template's precompiled form, as `Handlebars.precompile` writes it. */
export function precompileSource(source: string): string {
  return Handlebars.precompile(source, { ...compileOptions }) as unknown as string;
}

/** A template's precompiled form, evaluated as the build's module evaluates it. */
export function specOf(source: string): TemplateSpec {
  return new Function(`return ${precompileSource(source)};`)() as TemplateSpec;
}

/** Template path (relative to `templatesRoot`, "/"-separated) → its precompiled template. */
export async function loadTemplateSpecs(templatesRoot: string): Promise<(templatePath: string) => TemplateSpec> {
  return (templatePath) => {
    const source = fs.readFileSync(path.join(templatesRoot, templatePath), "utf8");
    try {
      return specOf(source);
    } catch (error) {
      throw new Error(`Rendering templates/${templatePath} failed: ${(error as Error).message}`);
    }
  };
}
