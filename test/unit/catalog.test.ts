import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, catalogListing } from "../../src/catalog/index.js";
import type { Catalog } from "../../src/catalog/types.js";
import { catalogProblems } from "../../src/catalog/validate.js";
import { TEMPLATES_ROOT } from "../../src/paths.js";

const broken = (change: (c: Catalog) => Catalog) => catalogProblems(change(structuredClone(catalog) as Catalog));

describe("catalog", () => {
  it("is valid as shipped", () => {
    expect(catalogProblems(catalog)).toEqual([]);
  });

  it("reports an unknown target, a duplicate id, a non-kebab id and a tool in two packs", () => {
    expect(broken((c) => ({ ...c, templates: [{ ...c.templates[0]!, targets: ["lambda"] }] }))).toContain(
      'template "authless" names unknown target "lambda"',
    );
    expect(broken((c) => ({ ...c, targets: [...c.targets, c.targets[0]!] }))).toContain('target id "workers" appears twice');
    expect(broken((c) => ({ ...c, tools: [{ ...c.tools[0]!, id: "WhoAmI" }] }))).toContain('tool pack id "WhoAmI" is not kebab-case');
    expect(broken((c) => ({ ...c, tools: [...c.tools, { ...c.tools[0]!, id: "again" }] }))).toContain(
      'tool "whoami" is in both "whoami" and "again"',
    );
    expect(broken((c) => ({ ...c, defaults: { ...c.defaults, template: "nope" } }))).toContain('default template "nope" is unknown');
  });

  it("has a template folder for every entry", () => {
    const folders = [
      ...catalog.targets.map((t) => `targets/${t.id}`),
      ...catalog.templates.map((t) => `auth/${t.id}`),
      ...catalog.tools.map((p) => `tools/${p.id}`),
    ];
    const missing = folders.filter((f) => !fs.existsSync(path.join(TEMPLATES_ROOT, f)));
    expect(missing).toEqual([]);
  });

  it("lists itself in the --list --json shape", () => {
    const listing = catalogListing();
    expect(listing.templates).toContainEqual({
      id: "authless",
      name: expect.any(String),
      authModes: [],
      targets: ["workers", "node"],
    });
    expect(listing.targets.map((t) => t.id)).toEqual(["workers", "node"]);
    expect(listing.tools).toContainEqual({ id: "whoami", name: expect.any(String), tools: ["whoami"], needs: { permissions: [] } });
  });
});
