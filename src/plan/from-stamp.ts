import fs from "node:fs";
import path from "node:path";
import type { AuthMode, Catalog, ToolPackId } from "../catalog/index.js";
import { UsageError } from "../errors.js";
import { detectPackageManager } from "../options/package-manager.js";
import type { ProjectChoices } from "../options/types.js";
import { projectPlan } from "./plan.js";
import type { ProjectPlan } from "./types.js";

/** package.json's "create-mcp-auth" stamp: what the project was made from (see README, "The package.json stamp"). */
interface Stamp {
  template?: string;
  authMode?: AuthMode | null;
  target?: string;
  tools?: string[];
  workosClient?: string;
}

/**
 * The Plan of the project in `dir`, from its package.json stamp: what provision, deploy and destroy act on. A usage error
 * when `dir` is not a project made by create-mcp-auth. `choose` may change choices first (--workos-client).
 */
export function planFromStamp(dir: string, catalog: Catalog, command: string, choose: (choices: ProjectChoices) => ProjectChoices = (c) => c): ProjectPlan {
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
  const choices: ProjectChoices = {
    directory: dir,
    projectDir: dir,
    packageName: pkg.name ?? path.basename(dir),
    template: template.id,
    target: target.id,
    authMode: stamp.authMode ?? null,
    tools: (stamp.tools ?? []).filter((id): id is ToolPackId => catalog.tools.some((p) => p.id === id)),
    packageManager: detectPackageManager(process.env.npm_config_user_agent),
    ...(stamp.workosClient === "environment" ? { workosClient: "environment" as const } : {}),
  };
  return projectPlan(choose(choices), catalog);
}
