import path from "node:path";
import { BASE_SETTINGS, DATA_KV, RETENTION_DAYS, SIGN_IN_SETTINGS, signInApplication, type Catalog, type KvNamespaceConfig, type SettingConfig } from "../catalog/index.js";
import { COMPATIBILITY_DATE } from "../catalog/versions.js";
import type { CreateOptions, ProjectChoices, RunChoices } from "../options/types.js";
import { planResources } from "../resources/index.js";
import type { PackageManagerName } from "../options/validate.js";
import { isRendered, outputPathFor } from "../render/output-path.js";
import { comparePaths } from "./path-order.js";
import type { Plan, PlannedFile, PlannedResource, PlannedStep, ProjectPlan, StepName, TemplateContext } from "./types.js";

export interface PlanInputs {
  catalog: Catalog;
  /** Every file under templates/ ("/"-separated, relative). */
  templateTree: readonly string[];
  cliVersion: string;
  /** Where the CLI runs, to print `cd` relative to it. */
  cwd: string;
}

/** Every template with sign-in records who did what; without sign-in, only the audit pack asks for it. */
export const hasAuditTrail = (options: ProjectChoices) => options.authMode !== null || options.tools.includes("audit");

/** Whether the server checks JWTs itself: direct mode always; proxy mode for a provider's machine tokens (catalog `machineTokens`). */
export const verifiesJwts = (options: ProjectChoices, catalog: Catalog) =>
  options.authMode === "direct" || (options.authMode === "proxy" && catalog.templates.find((t) => t.id === options.template)?.machineTokens === true);

/** The template folders a project is made of, in the order they are applied. */
export function templateLayers(options: ProjectChoices, catalog: Catalog): string[] {
  const { target, template, authMode } = options;
  return [
    "base",
    `targets/${target}`,
    // What every provider shares in one auth mode (the resource server of direct mode, the OAuth server of proxy mode).
    ...(authMode ? [`modes/${authMode}/shared`, `modes/${authMode}/${target}`] : []),
    `auth/${template}/shared`,
    `auth/${template}/${target}`,
    ...(authMode ? [`auth/${template}/${authMode}`] : []),
    // Machinery that only some projects need, shared by the layers that want it.
    ...(hasAuditTrail(options) ? ["features/audit-trail"] : []),
    // Sign-in that works on this machine before the provider is set up (every template with sign-in).
    ...(authMode ? ["features/dev-sign-in"] : []),
    // JWT checks with jose (issuer, audience, signature, expiry, algorithms): direct mode's tokens, proxy mode's machine tokens.
    ...(verifiesJwts(options, catalog) ? ["features/jwt"] : []),
    ...options.tools.map((pack) => `tools/${pack}`),
  ];
}

export function packageManagerCommands(name: PackageManagerName) {
  return { name, install: `${name} install`, run: name === "npm" ? "npm run" : name };
}

/** Every setting the project's server reads: base, target, template (shared and this mode), packs. */
export function projectSettings(options: ProjectChoices, catalog: Catalog): SettingConfig[] {
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

/** The plain settings the chosen packs (and the audit trail) read through their context; never a secret. */
function toolSettingNames(options: ProjectChoices, catalog: Catalog): string[] {
  const packSettings = catalog.tools.filter((p) => options.tools.includes(p.id)).flatMap((p) => p.settings);
  const names = [...packSettings.filter((s) => !s.secret).map((s) => s.name), ...(hasAuditTrail(options) ? [RETENTION_DAYS.name] : [])];
  return [...new Set(names)];
}

/** The KV namespaces a Workers project binds: its auth mode's, then its packs'. None on Node. */
export function projectKvNamespaces(options: ProjectChoices, catalog: Catalog): KvNamespaceConfig[] {
  if (options.target !== "workers") return [];
  const template = catalog.templates.find((t) => t.id === options.template)!;
  return [
    ...((options.authMode && template.kvNamespaces?.[options.authMode]) || []),
    ...(hasAuditTrail(options) ? [DATA_KV] : []), // audit records are listed across people from KV
    ...catalog.tools.filter((p) => options.tools.includes(p.id)).flatMap((p) => p.kvNamespaces ?? []),
  ].filter((kv, i, all) => all.findIndex((other) => other.binding === kv.binding) === i);
}

function templateContext(project: ProjectPlan, options: CreateOptions, inputs: PlanInputs): TemplateContext {
  const { template, settings, kvNamespaces } = project;
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
    auditTrail: hasAuditTrail(options),
    keepsRecords: hasAuditTrail(options) || options.tools.includes("shop"),
    toolSettingNames: toolSettingNames(options, inputs.catalog),
    permissions: [...new Set(project.packs.flatMap((p) => p.needs.permissions))],
    settings,
    settingNames: settings.map((s) => s.name),
    varNames: settings.filter((s) => !s.secret).map((s) => s.name),
    secretNames: settings.filter((s) => s.secret).map((s) => s.name),
    requiredSecretNames: project.secrets.required,
    optionalSecretNames: project.secrets.optional,
    signInSettingNames: options.authMode ? signInSettingNames(options, inputs.catalog) : [],
    workosClient: options.workosClient === "environment" ? "environment" : null,
    kvNamespaces,
    toolRows: project.packs.flatMap((p) => p.tools.map((t) => ({ name: t.name, file: `src/tools/${p.id}.ts`, summary: t.summary, permission: t.permission ?? "—", stores: t.stores }))),
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
    files: [...files.values()].sort((a, b) => comparePaths(a.path, b.path)),
    partials: [...partials].map(([name, source]) => ({ name, source })).sort((a, b) => comparePaths(a.name, b.name)),
  };
}

/** What a real run does; --dry-run prints this and runs none of it. */
function plannedSteps(options: CreateOptions): PlannedStep[] {
  const skipped = (reason: string) => ({ run: false, reason });
  return [
    { name: "render", run: true },
    { name: "install", ...(options.install ? { run: true } : skipped("--no-install")) },
    { name: "provision", ...(options.provision || options.deploy ? { run: true } : skipped("not asked for (--provision)")) },
    { name: "git", ...(options.git ? { run: true } : skipped("--no-git")) },
    { name: "deploy", ...(options.deploy ? { run: true } : skipped("not asked for (--deploy)")) },
  ];
}

/** The secrets the server reads on this sign-in path: the environment's AuthKit client reads no application secret. */
export function readSecretNames(options: ProjectChoices, catalog: Catalog): string[] {
  const template = catalog.templates.find((t) => t.id === options.template)!;
  const app = signInApplication(template, options.authMode);
  const unused = options.workosClient === "environment" && app ? app.clientSecretSetting : undefined;
  return projectSettings(options, catalog)
    .filter((s) => s.secret && s.name !== unused)
    .map((s) => s.name);
}

/**
 * The secrets this sign-in path cannot run without (wrangler.jsonc `secrets.required`): those the catalog marks
 * required, and the WorkOS API key when people sign in through the environment's AuthKit client (the API does it).
 */
export function requiredSecretNames(options: ProjectChoices, catalog: Catalog): string[] {
  const settings = new Map(projectSettings(options, catalog).map((s) => [s.name, s]));
  const needed = (name: string) => settings.get(name)?.default === "required" || (name === "WORKOS_API_KEY" && options.workosClient === "environment");
  return readSecretNames(options, catalog).filter(needed);
}

/**
 * A project's facts and its cloud resources, from its choices: what create plans, and what provision / deploy / destroy
 * act on (built from the package.json stamp by `planFromStamp`). Pure.
 */
export function projectPlan(choices: ProjectChoices, catalog: Catalog): ProjectPlan {
  const required = requiredSecretNames(choices, catalog);
  const facts = {
    project: choices,
    template: catalog.templates.find((t) => t.id === choices.template)!,
    packs: catalog.tools.filter((p) => choices.tools.includes(p.id)),
    settings: projectSettings(choices, catalog),
    kvNamespaces: projectKvNamespaces(choices, catalog),
    secrets: { required, optional: readSecretNames(choices, catalog).filter((name) => !required.includes(name)) },
    workers: choices.target === "workers",
  };
  return { ...facts, resources: planResources(facts) };
}

/** Every cloud resource the project needs, by the stable names provisioning finds them by. */
export function projectResources(choices: ProjectChoices, catalog: Catalog): PlannedResource[] {
  return projectPlan(choices, catalog).resources;
}

/** A path as one shell word, never read as an option (`-rf` becomes `./-rf`). */
function shellQuote(arg: string): string {
  const path = arg.startsWith("-") ? `./${arg}` : arg;
  return /^[\w./-]+$/.test(path) ? path : `"${path.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** The settings sign-in cannot work without on this path (what `provision` fills in). */
export function signInSettingNames(options: ProjectChoices, catalog: Catalog): string[] {
  const template = catalog.templates.find((t) => t.id === options.template)!;
  const app = signInApplication(template, options.authMode);
  const environment = options.workosClient === "environment" && app;
  const unused = environment ? [app.clientIdSetting, app.clientSecretSetting] : [];
  const names = projectSettings(options, catalog)
    .filter((s) => s.default === "required" && !unused.includes(s.name))
    .map((s) => s.name);
  return [...new Set([...names, ...(environment ? [app.environmentClientIdSetting] : []), ...requiredSecretNames(options, catalog)])];
}

/** `cd` into the project, the commands that finish what the run did not do (`unfinished`), then how to use it. */
function nextSteps(options: CreateOptions, context: TemplateContext, cwd: string, unfinished: string[] = []): string[] {
  const relative = path.relative(cwd, options.projectDir);
  const steps: string[] = [];
  if (relative !== "") steps.push(`cd ${shellQuote(relative)}`);
  steps.push(...unfinished);
  if (!options.install) steps.push(context.packageManager.install);
  steps.push(`${context.packageManager.run} dev   (serves http://localhost:8787/mcp; set PORT to change the port)`);
  steps.push("npx @modelcontextprotocol/inspector   (connect with transport Streamable HTTP and that URL)");
  if (context.signIn && !options.provision && !options.deploy) {
    const needed = context.signInSettingNames;
    steps.push(
      `Sign in as a test person through the development sign-in (this machine only) until ${context.templateName} is set up;`,
      `npx create-mcp-auth provision   (sets it up: ${needed.join(", ")}; or set them by hand, see README)`,
    );
  }
  return steps;
}

/** After Ctrl-C during `step` (the project is written): what to run to finish that step and the ones after it. */
export function nextStepsAfterInterrupt(plan: Plan, step: StepName, cwd: string): string[] {
  const planned = plan.steps.filter((s) => s.run).map((s) => s.name);
  const left = planned.slice(Math.max(0, planned.indexOf(step)));
  const unfinished: string[] = [];
  if (left.includes("install")) unfinished.push(plan.context.packageManager.install);
  if (left.includes("deploy")) unfinished.push("create-mcp-auth deploy   (provisions first)");
  else if (left.includes("provision")) unfinished.push("create-mcp-auth provision");
  if (left.includes("git")) unfinished.push('git init && git add --all && git commit -m "Initial commit from create-mcp-auth"');
  return nextSteps({ ...plan.project, ...plan.run }, plan.context, cwd, unfinished);
}

/** Options + catalog → everything the run will do. Pure: no disk, no network, no clock. */
export function createPlan(options: CreateOptions, inputs: PlanInputs): Plan {
  return createPlanFrom(projectPlan(options, inputs.catalog), options, inputs);
}

/** The same, from the project plan the options step built (to show its resources before asking). */
export function createPlanFrom(project: ProjectPlan, run: RunChoices, inputs: PlanInputs): Plan {
  const options: CreateOptions = { ...project.project, ...run };
  const context = templateContext(project, options, inputs);
  const layers = templateLayers(options, inputs.catalog);
  return {
    ...project,
    run,
    context,
    layers,
    ...plannedFiles(layers, inputs.templateTree),
    steps: plannedSteps(options),
    nextSteps: nextSteps(options, context, inputs.cwd),
  };
}
