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

/** Every choice answered, by flag, prompt or default. */
export interface CreateOptions {
  /** As the person typed it. */
  directory: string;
  /** Absolute path of the project. */
  projectDir: string;
  packageName: string;
  template: TemplateId;
  target: TargetId;
  authMode: AuthMode | null;
  tools: ToolPackId[];
  install: boolean;
  git: boolean;
  packageManager: PackageManagerName;
  dryRun: boolean;
  json: boolean;
  force: boolean;
  /** Create cloud resources after install (--provision; asked when interactive). Absent: no. */
  provision?: boolean;
  /** Deploy after provisioning (--deploy, implies provision). Absent: no. */
  deploy?: boolean;
  /** Proxy mode with WorkOS: sign people in through the environment's AuthKit client instead of an own application. */
  workosClient?: WorkosClient;
}
