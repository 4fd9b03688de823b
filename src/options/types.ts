import type { AuthMode, TargetId, TemplateId, ToolPackId, WorkosClient } from "../catalog/index.js";
import type { PackageManagerName } from "./validate.js";

/** What commander parsed; `undefined` means the flag was not given. Strings as given: validated against the catalog later. */
export interface CreateFlags {
  template?: string;
  target?: string;
  authMode?: string;
  tools?: string;
  yes?: boolean;
  /** false only with --no-interactive. */
  interactive?: boolean;
  install?: boolean;
  git?: boolean;
  provision?: boolean;
  deploy?: boolean;
  accountId?: string;
  packageManager?: string;
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
  list?: boolean;
  /** --workos-client app|environment (proxy mode's WorkOS sign-in). */
  workosClient?: string;
}

/** What makes the project what it is: from flags and prompts on create, from the package.json stamp afterwards. */
export interface ProjectChoices {
  /** As the person typed it. */
  directory: string;
  /** Absolute path of the project. */
  projectDir: string;
  packageName: string;
  template: TemplateId;
  target: TargetId;
  authMode: AuthMode | null;
  tools: ToolPackId[];
  packageManager: PackageManagerName;
  /** Proxy mode with WorkOS: sign people in through the environment's AuthKit client instead of an own application. */
  workosClient?: WorkosClient;
}

/** What this create run does with the project. */
export interface RunChoices {
  install: boolean;
  git: boolean;
  dryRun: boolean;
  json: boolean;
  force: boolean;
  /** Create cloud resources after install (--provision; asked when interactive). Absent: no. */
  provision?: boolean;
  /** Deploy after provisioning (--deploy, implies provision). Absent: no. */
  deploy?: boolean;
}

/** Every choice of a create run answered, by flag, prompt or default. */
export type CreateOptions = ProjectChoices & RunChoices;
