import fs from "node:fs";
import path from "node:path";
import type { AuthMode, Catalog, TargetConfig, TemplateConfig } from "../catalog/index.js";
import { AUTH_MODES, signInApplication, WORKOS_CLIENTS } from "../catalog/index.js";
import { directoryProblem } from "./directory.js";
import { packageNameFor } from "./package-name.js";

export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn", "bun"] as const;
export type PackageManagerName = (typeof PACKAGE_MANAGERS)[number];

const list = (values: readonly string[]) => values.join(", ");

export function validateDirectory(directory: string): string | undefined {
  if (directory.trim() === "") return "The directory name is empty: give one, e.g. my-mcp-server.";
  const unsafe = directoryProblem(directory);
  if (unsafe) return unsafe;
  if (packageNameFor(directory) === "") {
    return `"${path.basename(path.resolve(directory))}" leaves no valid package name: use letters, digits, spaces or dashes in the directory's name.`;
  }
  const stat = fs.statSync(directory, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) return `"${directory}" exists and is not a directory: choose another name.`;
  return undefined;
}

export function validateTemplate(id: string, catalog: Catalog): string | undefined {
  if (catalog.templates.some((t) => t.id === id)) return undefined;
  return `Unknown template "${id}". Valid templates: ${list(catalog.templates.map((t) => t.id))}.`;
}

export function validateTarget(id: string, template: TemplateConfig, catalog: Catalog): string | undefined {
  if (!catalog.targets.some((t) => t.id === id)) {
    return `Unknown target "${id}". Valid targets: ${list(catalog.targets.map((t) => t.id))}.`;
  }
  if (!(template.targets as readonly string[]).includes(id)) {
    const why = template.targetsNote ? ` ${template.targetsNote}.` : "";
    return `The ${template.id} template does not run on "${id}". Valid targets for it: ${list(template.targets)}.${why}`;
  }
  return undefined;
}

export function validateAuthMode(mode: string, template: TemplateConfig, target: TargetConfig): string | undefined {
  if (template.authModes.length === 0) {
    return `The ${template.id} template has no sign-in, so --auth-mode does not apply: drop it, or choose a template with sign-in.`;
  }
  if (!(AUTH_MODES as readonly string[]).includes(mode)) {
    return `Unknown auth mode "${mode}". Valid auth modes: ${list(template.authModes)}.`;
  }
  if (mode === "proxy" && !target.authModes.includes("proxy")) {
    return `Proxy mode runs on Cloudflare Workers only: use --auth-mode direct with --target ${target.id}, or --target workers.`;
  }
  if (!template.authModes.includes(mode as AuthMode)) {
    return `The ${template.id} template does not support auth mode "${mode}". Valid auth modes for it: ${list(template.authModes)}.`;
  }
  return undefined;
}

/** Tool packs usable with this auth mode (authless is `null`). */
export function availablePacks(catalog: Catalog, authMode: AuthMode | null) {
  return catalog.tools.filter((p) => !p.needs.authModes || (authMode !== null && p.needs.authModes.includes(authMode)));
}

/** Parses a --tools value: comma-separated pack ids, or "none". */
export function parseTools(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed === "none") return [];
  return [...new Set(trimmed.split(",").map((s) => s.trim()).filter(Boolean))];
}

export function validateTools(value: string, catalog: Catalog, authMode: AuthMode | null): string | undefined {
  const ids = parseTools(value);
  const valid = `Valid tool packs: ${list(catalog.tools.map((p) => p.id))} (comma-separated), or "none".`;
  if (ids.length === 0 && value.trim() !== "none") return `--tools is empty. ${valid}`;
  if (ids.includes("none")) return `"none" cannot be combined with other packs. ${valid}`;
  for (const id of ids) {
    const pack = catalog.tools.find((p) => p.id === id);
    if (!pack) return `Unknown tool pack "${id}". ${valid}`;
    if (!availablePacks(catalog, authMode).includes(pack)) {
      const modes = list(pack.needs.authModes ?? []);
      return `The ${id} pack needs auth mode ${modes}, but this project uses ${authMode ?? "no sign-in (authless)"}.`;
    }
  }
  return undefined;
}

export function validateWorkosClient(value: string, template: TemplateConfig, authMode: AuthMode | null): string | undefined {
  if (!(WORKOS_CLIENTS as readonly string[]).includes(value)) return `Unknown --workos-client "${value}". Valid values: ${list(WORKOS_CLIENTS)}.`;
  if (!signInApplication(template, authMode)) {
    return `--workos-client chooses how proxy mode signs people in with WorkOS, so it needs --template workos --auth-mode proxy (this project: ${template.id}${authMode ? `, ${authMode} mode` : ""}).`;
  }
  return undefined;
}

export function validatePackageManager(name: string): string | undefined {
  if ((PACKAGE_MANAGERS as readonly string[]).includes(name)) return undefined;
  return `Unknown package manager "${name}". Valid package managers: ${list(PACKAGE_MANAGERS)}.`;
}
