import type { Plan } from "../plan/types.js";

/** The human form of --dry-run. */
export function describePlan(plan: Plan): string {
  const options = { ...plan.project, ...plan.run };
  const lines = [
    `Plan for ${options.projectDir} (nothing written: --dry-run)`,
    `  package   ${options.packageName}`,
    `  template  ${options.template}${options.authMode ? ` (${options.authMode} mode)` : ""}`,
    `  target    ${options.target}`,
    `  tools     ${options.tools.length ? options.tools.join(", ") : "none"}`,
    `Files (${plan.files.length}):`,
    ...plan.files.map((f) => `  ${f.path}`),
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
