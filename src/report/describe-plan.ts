import type { Plan, PlannedFile } from "../plan/types.js";

/** The template layer a file comes from: the plan's layer (e.g. `targets/workers`, `tools/shop`) its source lies under. */
export function layerOf(plan: Plan, file: PlannedFile): string {
  const layer = plan.layers.filter((l) => file.source.startsWith(`${l}/`)).sort((a, b) => b.length - a.length)[0];
  if (!layer) throw new Error(`templates/${file.source} lies under none of the plan's layers`);
  return layer;
}

function describeFiles(plan: Plan): string[] {
  const width = Math.max(0, ...plan.files.map((f) => f.path.length));
  return [`Files (${plan.files.length}; each with the template layer it comes from, later layers replacing earlier ones):`, ...plan.files.map((f) => `  ${f.path.padEnd(width)}  ${layerOf(plan, f)}`)];
}

/** The human form of --dry-run. */
export function describePlan(plan: Plan): string {
  const options = { ...plan.project, ...plan.run };
  const lines = [
    `Plan for ${options.projectDir} (nothing written: --dry-run)`,
    `  package   ${options.packageName}`,
    `  template  ${options.template}${options.authMode ? ` (${options.authMode} mode)` : ""}`,
    `  target    ${options.target}`,
    `  tools     ${options.tools.length ? options.tools.join(", ") : "none"}`,
    ...describeFiles(plan),
    "Steps:",
    ...plan.steps.map((s) => `  ${s.name.padEnd(10)}${s.run ? "run" : `skip — ${s.reason}`}`),
    ...describeResources(plan),
  ];
  return lines.join("\n");
}

/** The cloud resources provisioning would find or create (the same list --dry-run --json reports), by stable name. */
function describeResources(plan: Plan): string[] {
  if (plan.resources.length === 0) return ["Cloud resources: none"];
  const provision = plan.steps.some((s) => s.name === "provision" && s.run);
  const deploy = plan.steps.some((s) => s.name === "deploy" && s.run);
  const when = provision
    ? deploy
      ? "this run would find or create them"
      : "this run would find or create them, except the “with deploy” ones (--deploy)"
    : "made only with --provision, the “with deploy” ones with --deploy";
  const width = Math.max(...plan.resources.map((r) => r.kind.length));
  return [
    `Cloud resources (${plan.resources.length}; ${when}):`,
    ...plan.resources.map((r) => `  ${r.kind.padEnd(width)}  ${r.name}${r.stage === "deploy" ? "  (with deploy)" : ""}\n  ${" ".repeat(width)}  ${r.description}`),
  ];
}
