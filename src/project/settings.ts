import path from "node:path";
import { registerSecret } from "../net/redact.js";
import type { ProjectPlan } from "../plan/types.js";
import { parseDotenv, parseJsonc, readText, setDotenv, setVar, writeText } from "./edits.js";

/** Files settings live in: Workers keep plain vars in wrangler.jsonc and secrets in .dev.vars; Node keeps both in .env. */
export const projectFiles = (plan: ProjectPlan) => ({
  packageJson: path.join(plan.project.projectDir, "package.json"),
  wrangler: path.join(plan.project.projectDir, "wrangler.jsonc"),
  secrets: path.join(plan.project.projectDir, plan.workers ? ".dev.vars" : ".env"),
});

/** The git-ignored file the project's secrets live in, for messages. */
export const secretsFileName = (plan: { workers: boolean }) => (plan.workers ? ".dev.vars" : ".env");

/** The value a setting has in the project now (wrangler.jsonc vars or the dotenv file); undefined when unset or empty. */
export function currentSetting(plan: ProjectPlan, name: string): string | undefined {
  const files = projectFiles(plan);
  const fromDotenv = parseDotenv(readText(files.secrets)).get(name);
  if (fromDotenv) return fromDotenv;
  if (plan.workers) {
    const text = readText(files.wrangler);
    if (text) {
      const vars = parseJsonc<{ vars?: Record<string, unknown> }>(text).vars ?? {};
      const value = vars[name];
      if (typeof value === "string" && value !== "") return value;
    }
  }
  return undefined;
}

/** Writes a setting where the project reads it: Workers keep plain vars in wrangler.jsonc, everything else the dotenv file. */
export function writeSetting(plan: ProjectPlan, name: string, value: string, secret: boolean): void {
  const files = projectFiles(plan);
  if (plan.workers && !secret) {
    writeText(files.wrangler, setVar(readText(files.wrangler), name, value));
  } else {
    if (secret) registerSecret(value);
    writeText(files.secrets, setDotenv(readText(files.secrets), name, value), true);
  }
}

export function secretValue(plan: ProjectPlan, name: string): string | undefined {
  const value = parseDotenv(readText(projectFiles(plan).secrets)).get(name);
  if (value) registerSecret(value);
  return value || undefined;
}
