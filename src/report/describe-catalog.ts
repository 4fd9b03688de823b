import { catalog } from "../catalog/index.js";

/** The human form of --list. */
export function describeCatalog(): string {
  const rows = (entries: [string, string][]) => entries.map(([id, text]) => `  ${id.padEnd(12)}${text}`).join("\n");
  return [
    "Templates (--template):",
    rows(catalog.templates.map((t) => [t.id, `${t.name} — targets: ${t.targets.join(", ")}${t.authModes.length ? `; auth modes: ${t.authModes.join(", ")}` : ""}`])),
    "Targets (--target):",
    rows(catalog.targets.map((t) => [t.id, t.name])),
    "Tool packs (--tools):",
    rows(catalog.tools.map((p) => [p.id, `${p.tools.map((t) => t.name).join(", ")} — ${p.name}`])),
    "",
  ].join("\n");
}
