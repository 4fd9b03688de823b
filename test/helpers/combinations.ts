import { catalog, type AuthMode, type TargetId, type TemplateId, type ToolPackId } from "../../src/catalog/index.js";
import { availablePacks } from "../../src/options/validate.js";

/** Every template × target × auth mode the catalog allows (authless: mode null), with the packs that mode can use. */
export function everyTemplateTargetMode(): { template: TemplateId; target: TargetId; authMode: AuthMode | null; usablePacks: ToolPackId[] }[] {
  return catalog.templates.flatMap((template) =>
    template.targets.flatMap((target) => {
      const targetModes = catalog.targets.find((t) => t.id === target)!.authModes;
      const modes = template.authModes.length ? template.authModes.filter((m) => targetModes.includes(m)) : [null];
      return modes.map((authMode) => ({ template: template.id, target, authMode, usablePacks: availablePacks(catalog, authMode).map((p) => p.id) }));
    }),
  );
}
