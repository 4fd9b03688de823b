import type { Plan } from "../plan/types.js";

/** The human form of --dry-run. */
export function describePlan(plan: Plan): string {
  const { options } = plan;
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
  ];
  return lines.join("\n");
}
