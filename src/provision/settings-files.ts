import { registerSecret } from "../net/redact.js";
import { projectFiles, type Project } from "./project.js";
import { parseDotenv, readText, setDotenv, setVar, writeText } from "./project-files.js";

/** Writes a setting where the project reads it: Workers keep plain vars in wrangler.jsonc, everything else the dotenv file. */
export function writeSetting(project: Project, name: string, value: string, secret: boolean): void {
  const files = projectFiles(project);
  if (project.workers && !secret) {
    writeText(files.wrangler, setVar(readText(files.wrangler), name, value));
  } else {
    if (secret) registerSecret(value);
    writeText(files.secrets, setDotenv(readText(files.secrets), name, value), true);
  }
}

export function secretValue(project: Project, name: string): string | undefined {
  const value = parseDotenv(readText(projectFiles(project).secrets)).get(name);
  if (value) registerSecret(value);
  return value || undefined;
}
