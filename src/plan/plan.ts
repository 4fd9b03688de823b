import path from "node:path";
import { BASE_SETTINGS, SIGN_IN_SETTINGS, type Catalog, type KvNamespaceConfig, type SettingConfig } from "../catalog/index.js";
import { COMPATIBILITY_DATE } from "../catalog/versions.js";
import type { CreateOptions } from "../options/types.js";
import type { PackageManagerName } from "../options/validate.js";
import { isRendered, outputPathFor } from "../render/output-path.js";
import type { Plan, PlannedFile, PlannedStep, TemplateContext } from "./types.js";

export interface PlanInputs {
  catalog: Catalog;
  /** Every file under templates/ ("/"-separated, relative). */
  templateTree: readonly string[];
  cliVersion: string;
  /** Where the CLI runs, to print `cd` relative to it. */
  cwd: string;
}

/** The template folders a project is made of, in the order they are applied (design.md §3). */
export function templateLayers(options: CreateOptions): string[] {
  const { target, template, authMode } = options;
  return [
    "base",
    `targets/${target}`,
    // What every provider shares in one auth mode (the resource server of direct mode, the OAuth server of proxy mode).
    ...(authMode ? [`modes/${authMode}/shared`, `modes/${authMode}/${target}`] : []),
    `auth/${template}/shared`,
    `auth/${template}/${target}`,
    ...(authMode ? [`auth/${template}/${authMode}`] : []),
    ...options.tools.map((pack) => `tools/${pack}`),
  ];
}

export function packageManagerCommands(name: PackageManagerName) {
  return { name, install: `${name} install`, run: name === "npm" ? "npm run" : name };
}

/** Every setting the project's server reads: base, target, template (shared and this mode), packs. */
export function projectSettings(options: CreateOptions, catalog: Catalog): SettingConfig[] {
  const template = catalog.templates.find((t) => t.id === options.template)!;
  const target = catalog.targets.find((t) => t.id === options.target)!;
  const settings = [
    ...BASE_SETTINGS,
    ...(options.authMode ? SIGN_IN_SETTINGS : []),
    ...target.settings,
    ...template.settings.shared,
    ...((options.authMode && template.settings[options.authMode]) || []),
    ...catalog.tools.filter((p) => options.tools.includes(p.id)).flatMap((p) => p.settings),
  ];
  return settings.filter((s, i) => settings.findIndex((other) => other.name === s.name) === i);
}

/** The KV namespaces a Workers project binds: its auth mode's, then its packs'. None on Node. */
export function projectKvNamespaces(options: CreateOptions, catalog: Catalog): KvNamespaceConfig[] {
  if (options.target !== "workers") return [];
  const template = catalog.templates.find((t) => t.id === options.template)!;
  return [
    ...((options.authMode && template.kvNamespaces?.[options.authMode]) || []),
    ...catalog.tools.filter((p) => options.tools.includes(p.id)).flatMap((p) => p.kvNamespaces ?? []),
  ].filter((kv, i, all) => all.findIndex((other) => other.binding === kv.binding) === i);
}

function templateContext(options: CreateOptions, inputs: PlanInputs): TemplateContext {
  const template = inputs.catalog.templates.find((t) => t.id === options.template)!;
  const settings = projectSettings(options, inputs.catalog);
  const kvNamespaces = projectKvNamespaces(options, inputs.catalog);
  return {
    name: options.packageName,
    title: path.basename(options.projectDir),
    template: template.id,
    templateName: template.name,
    target: options.target,
    workers: options.target === "workers",
    node: options.target === "node",
    authMode: options.authMode,
    signIn: options.authMode !== null,
    direct: options.authMode === "direct",
    proxy: options.authMode === "proxy",
    tools: options.tools,
    settings,
    settingNames: settings.map((s) => s.name),
    varNames: settings.filter((s) => !s.secret).map((s) => s.name),
    secretNames: settings.filter((s) => s.secret).map((s) => s.name),
    kvNamespaces,
    toolRows: inputs.catalog.tools
      .filter((p) => options.tools.includes(p.id))
      .flatMap((p) => p.tools.map((t) => ({ name: t.name, file: `src/tools/${p.id}.ts`, summary: t.summary, permission: t.permission ?? "—", stores: t.stores }))),
    cloudflareBindings: [
      ...settings.map(({ name, description }) => ({ name, description })),
      ...kvNamespaces.map(({ binding, description }) => ({ name: binding, description })),
    ],
    packageManager: packageManagerCommands(options.packageManager),
    cliVersion: inputs.cliVersion,
    compatibilityDate: COMPATIBILITY_DATE,
  };
}

const PARTIALS = "partials/";

/** Walks the layers in order; a later layer's file or partial replaces an earlier one of the same name. */
function plannedFiles(layers: string[], templateTree: readonly string[]) {
  const files = new Map<string, PlannedFile>();
  const partials = new Map<string, string>();
  for (const layer of layers) {
    const prefix = `${layer}/`;
    for (const source of templateTree) {
      if (!source.startsWith(prefix)) continue;
      const relative = source.slice(prefix.length);
      if (relative.startsWith(PARTIALS)) {
        partials.set(relative.slice(PARTIALS.length).replace(/\.hbs$/, ""), source);
        continue;
      }
      const file = { path: outputPathFor(relative), source, render: isRendered(source) };
      files.set(file.path, file);
    }
  }
  return {
    files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)),
    partials: [...partials].map(([name, source]) => ({ name, source })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** What a real run does; --dry-run prints this and runs none of it. */
function plannedSteps(options: CreateOptions): PlannedStep[] {
  const skipped = (reason: string) => ({ run: false, reason });
  return [
    { name: "render", run: true },
    { name: "install", ...(options.install ? { run: true } : skipped("--no-install")) },
    { name: "provision", ...skipped("not asked for (--provision)") },
    { name: "git", ...(options.git ? { run: true } : skipped("--no-git")) },
    { name: "deploy", ...skipped("not asked for (--deploy)") },
  ];
}

function shellQuote(arg: string): string {
  return /^[\w./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, "\\$1")}"`;
}

function nextSteps(options: CreateOptions, context: TemplateContext, cwd: string): string[] {
  const relative = path.relative(cwd, options.projectDir);
  const steps: string[] = [];
  if (relative !== "") steps.push(`cd ${shellQuote(relative)}`);
  if (!options.install) steps.push(context.packageManager.install);
  steps.push(`${context.packageManager.run} dev   (serves http://localhost:8787/mcp; set PORT to change the port)`);
  steps.push("npx @modelcontextprotocol/inspector   (connect with transport Streamable HTTP and that URL)");
  return steps;
}

/** Options + catalog → everything the run will do. Pure: no disk, no network, no clock. */
export function createPlan(options: CreateOptions, inputs: PlanInputs): Plan {
  const context = templateContext(options, inputs);
  const layers = templateLayers(options);
  return {
    options,
    context,
    layers,
    ...plannedFiles(layers, inputs.templateTree),
    steps: plannedSteps(options),
    resources: [],
    nextSteps: nextSteps(options, context, inputs.cwd),
  };
}
