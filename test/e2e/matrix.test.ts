import { afterAll, beforeAll, describe, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { availablePacks } from "../../src/options/validate.js";
import { tempDir } from "../helpers/cli.js";
import { generate, projectScript } from "../helpers/project.js";

// The generation matrix: every template × target × auth mode, with every pack and with none, installed from its own
// package.json and type-checked, then deleted (a Workers project's node_modules is ~650 MB).
const combinations = catalog.templates.flatMap((template) =>
  template.targets.flatMap((target) => {
    const targetModes = catalog.targets.find((t) => t.id === target)!.authModes;
    const modes = template.authModes.length ? template.authModes.filter((m) => targetModes.includes(m)) : [null];
    return modes.flatMap((authMode) => {
      const packs = availablePacks(catalog, authMode).map((p) => p.id);
      return [packs, []].map((tools) => ({ template: template.id, target, authMode, tools }));
    });
  }),
);

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("matrix");
});
afterAll(() => work.cleanup());

describe("generation matrix", () => {
  it.each(combinations)("$template on $target ($authMode) with tools $tools type-checks", async ({ template, target, authMode, tools }) => {
    const name = [template, target, authMode ?? "none", tools.length ? "all" : "no-tools"].join("-");
    const flags = ["-t", template, "--target", target, "--tools", tools.length ? tools.join(",") : "none"];
    const project = await generate(work.dir, name, authMode ? [...flags, "--auth-mode", authMode] : flags);
    await projectScript(project.dir, "typecheck");
    project.remove();
  });
});
