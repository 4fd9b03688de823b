import { TARGET_IDS, TEMPLATE_IDS, TOOL_PACK_IDS, type Catalog } from "./types.js";

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Every problem in the catalog data, so a broken entry fails loudly at load instead of mid-run. */
export function catalogProblems(catalog: Catalog): string[] {
  const problems: string[] = [];
  const targetIds = new Set(catalog.targets.map((t) => t.id));
  const templateIds = new Set(catalog.templates.map((t) => t.id));
  const packIds = new Set(catalog.tools.map((t) => t.id));

  for (const [kind, entries, ids, idsName] of [
    ["template", catalog.templates, TEMPLATE_IDS, "TEMPLATE_IDS"],
    ["target", catalog.targets, TARGET_IDS, "TARGET_IDS"],
    ["tool pack", catalog.tools, TOOL_PACK_IDS, "TOOL_PACK_IDS"],
  ] as const) {
    const seen = new Set<string>();
    for (const { id } of entries) {
      if (!KEBAB.test(id)) problems.push(`${kind} id "${id}" is not kebab-case`);
      if (seen.has(id)) problems.push(`${kind} id "${id}" appears twice`);
      // The compiler holds TypeScript code to the id unions; data that got past it (a cast, JSON) is held here.
      if (!(ids as readonly string[]).includes(id)) problems.push(`${kind} id "${id}" is not in ${idsName} (types.ts)`);
      seen.add(id);
    }
    for (const id of ids) if (!seen.has(id)) problems.push(`${kind} id "${id}" (${idsName}) has no catalog entry`);
  }
  for (const template of catalog.templates) {
    if (template.targets.length === 0) problems.push(`template "${template.id}" has no targets`);
    for (const target of template.targets) {
      if (!targetIds.has(target)) problems.push(`template "${template.id}" names unknown target "${target}"`);
    }
  }
  for (const target of catalog.targets) {
    if (!target.authModes.includes(target.defaultAuthMode)) {
      problems.push(`target "${target.id}" defaults to auth mode "${target.defaultAuthMode}" it does not support`);
    }
  }
  const toolNames = new Map<string, string>();
  for (const pack of catalog.tools) {
    for (const { name: tool } of pack.tools) {
      const owner = toolNames.get(tool);
      if (owner) problems.push(`tool "${tool}" is in both "${owner}" and "${pack.id}"`);
      toolNames.set(tool, pack.id);
    }
  }
  // A role is created with its pack; granting a permission the pack does not declare would create (or grant) something no
  // tool of the pack checks, and that provisioning never made.
  for (const pack of catalog.tools) {
    const declared = new Set(pack.needs.permissions);
    for (const role of pack.roles ?? []) {
      if (!KEBAB.test(role.slug)) problems.push(`role "${role.slug}" of tool pack "${pack.id}" is not kebab-case`);
      for (const permission of role.permissions) {
        if (!declared.has(permission)) {
          problems.push(`role "${role.slug}" of tool pack "${pack.id}" grants "${permission}", which the pack does not declare in needs.permissions`);
        }
      }
    }
  }
  const settingNames = [
    ...catalog.targets.flatMap((t) => t.settings),
    ...catalog.templates.flatMap((t) => Object.values(t.settings).flat()),
    ...catalog.tools.flatMap((p) => p.settings),
  ].map((s) => s.name);
  for (const name of settingNames) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) problems.push(`setting "${name}" is not an UPPER_SNAKE_CASE name`);
  }
  if (!templateIds.has(catalog.defaults.template)) problems.push(`default template "${catalog.defaults.template}" is unknown`);
  if (!targetIds.has(catalog.defaults.target)) problems.push(`default target "${catalog.defaults.target}" is unknown`);
  for (const id of [...catalog.defaults.tools, ...catalog.defaults.nonInteractiveTools]) {
    if (!packIds.has(id)) problems.push(`default tool pack "${id}" is unknown`);
  }
  return problems;
}

export function assertValidCatalog<T extends Catalog>(catalog: T): T {
  const problems = catalogProblems(catalog);
  if (problems.length > 0) throw new Error(`Invalid create-mcp-auth catalog:\n- ${problems.join("\n- ")}`);
  return catalog;
}
