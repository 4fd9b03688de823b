import fs from "node:fs";
import path from "node:path";
import type { AuthMode, Catalog, SettingConfig, TemplateConfig, ToolPackConfig, ToolPackId } from "../catalog/index.js";
import { UsageError } from "../errors.js";
import { detectPackageManager } from "../options/package-manager.js";
import type { CreateOptions } from "../options/types.js";
import { projectResources, projectSettings, readSecretNames, requiredSecretNames } from "../plan/plan.js";
import type { PlannedResource } from "../plan/types.js";
import { parseDotenv, readText } from "./project-files.js";
import { parseJsonc } from "./project-files.js";

/** A generated project as provisioning sees it: what the catalog says it needs, and where its settings live. */
export interface Project {
  dir: string;
  options: CreateOptions;
  template: TemplateConfig;
  packs: ToolPackConfig[];
  settings: SettingConfig[];
  resources: PlannedResource[];
  /** The secrets its sign-in path needs (wrangler.jsonc `secrets.required`). */
  requiredSecrets: string[];
  /** Secrets this sign-in path reads when they are set (uploaded with a deploy only then). */
  optionalSecrets: string[];
  workers: boolean;
  /** Worker name (Workers) / package name. */
  name: string;
}

export function projectFrom(options: CreateOptions, catalog: Catalog): Project {
  return {
    dir: options.projectDir,
    options,
    template: catalog.templates.find((t) => t.id === options.template)!,
    packs: catalog.tools.filter((p) => options.tools.includes(p.id)),
    settings: projectSettings(options, catalog),
    resources: projectResources(options, catalog),
    requiredSecrets: requiredSecretNames(options, catalog),
    optionalSecrets: readSecretNames(options, catalog).filter((name) => !requiredSecretNames(options, catalog).includes(name)),
    workers: options.target === "workers",
    name: options.packageName,
  };
}

interface Stamp {
  template?: string;
  authMode?: AuthMode | null;
  target?: string;
  tools?: string[];
  workosClient?: string;
}

/** The project in `dir`, from its package.json stamp; a usage error when `dir` is not one. */
export function loadProject(dir: string, catalog: Catalog, command: string): Project {
  let pkg: { name?: string; "create-mcp-auth"?: Stamp };
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  } catch {
    pkg = {};
  }
  const stamp = pkg["create-mcp-auth"];
  if (!stamp || typeof stamp !== "object") {
    throw new UsageError(
      `\`create-mcp-auth ${command}\` runs inside a project made by create-mcp-auth (a package.json with a "create-mcp-auth" stamp), and ${dir} is not one. cd into the project first. (To create a project in a directory named "${command}", run \`create-mcp-auth ./${command}\`.)`,
      "not_a_project",
    );
  }
  const template = catalog.templates.find((t) => t.id === stamp.template);
  const target = catalog.targets.find((t) => t.id === stamp.target);
  if (!template || !target) {
    throw new UsageError(`package.json's "create-mcp-auth" stamp names template "${String(stamp.template)}" and target "${String(stamp.target)}", which this version of create-mcp-auth does not know.`, "not_a_project");
  }
  const tools = (stamp.tools ?? []).filter((id): id is ToolPackId => catalog.tools.some((p) => p.id === id));
  const options: CreateOptions = {
    directory: dir,
    projectDir: dir,
    packageName: pkg.name ?? path.basename(dir),
    template: template.id,
    target: target.id,
    authMode: stamp.authMode ?? null,
    tools,
    install: false,
    git: false,
    packageManager: detectPackageManager(process.env.npm_config_user_agent),
    dryRun: false,
    json: false,
    force: false,
    ...(stamp.workosClient === "environment" ? { workosClient: "environment" as const } : {}),
  };
  return projectFrom(options, catalog);
}

/** Files settings live in: Workers keep plain vars in wrangler.jsonc and secrets in .dev.vars; Node keeps both in .env. */
export const projectFiles = (project: Project) => ({
  packageJson: path.join(project.dir, "package.json"),
  wrangler: path.join(project.dir, "wrangler.jsonc"),
  secrets: path.join(project.dir, project.workers ? ".dev.vars" : ".env"),
});

/** The value a setting has in the project now (wrangler.jsonc vars or the dotenv file); undefined when unset or empty. */
export function currentSetting(project: Project, name: string): string | undefined {
  const files = projectFiles(project);
  const fromDotenv = parseDotenv(readText(files.secrets)).get(name);
  if (fromDotenv) return fromDotenv;
  if (project.workers) {
    const text = readText(files.wrangler);
    if (text) {
      const vars = parseJsonc<{ vars?: Record<string, unknown> }>(text).vars ?? {};
      const value = vars[name];
      if (typeof value === "string" && value !== "") return value;
    }
  }
  return undefined;
}
