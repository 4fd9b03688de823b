/** Every `.hbs` file under the templates root (partials too), "/"-separated and sorted. */
export function renderedTemplates(dir?: string): string[];
/** The source of the built template-specs module: each template precompiled with the options the sources use. */
export function precompiledModule(dir?: string): string;
/** Builds dist/. */
export function buildCli(): Promise<void>;
