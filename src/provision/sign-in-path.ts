import { signInApplication } from "../catalog/index.js";
import type { ProjectPlan } from "../plan/types.js";
import { readText, removeDotenv, setRequiredSecrets, setStampKey, setVar, writeText } from "../project/edits.js";
import { projectFiles } from "../project/settings.js";

/**
 * Proxy mode with WorkOS signs people in through the server's own application or (`--workos-client environment`) the
 * environment's AuthKit client. Makes the project's files say which, as the server decides it at run time: the stamp, the
 * unused client id emptied (an own application's id wins when set), and `secrets.required` listing what this path needs.
 */
export function followSignInPath(plan: ProjectPlan): void {
  const app = signInApplication(plan.template, plan.project.authMode);
  if (!app) return;
  const files = projectFiles(plan);
  const environment = plan.project.workosClient === "environment";
  writeText(files.packageJson, setStampKey(readText(files.packageJson), "workosClient", environment ? "environment" : undefined));
  const unused = environment ? app.clientIdSetting : app.environmentClientIdSetting;
  writeText(files.wrangler, setVar(readText(files.wrangler), unused, ""));
  const secrets = readText(files.secrets);
  if (removeDotenv(secrets, unused) !== secrets) writeText(files.secrets, removeDotenv(secrets, unused), true);
  writeText(files.wrangler, setRequiredSecrets(readText(files.wrangler), plan.secrets.required));
}
