import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, catalogListing } from "../../src/catalog/index.js";
import type { Catalog, TargetId, TemplateId, ToolPackId } from "../../src/catalog/types.js";
import { catalogProblems } from "../../src/catalog/validate.js";
import { TEMPLATES_ROOT } from "../../src/paths.js";

const broken = (change: (c: Catalog) => Catalog) => catalogProblems(change(structuredClone(catalog) as Catalog));
// Ids outside the unions, which the compiler refuses in code: the run-time check still catches data that got past it.
const unknown = <T extends string>(id: string) => id as T;

describe("catalog", () => {
  it("is valid as shipped", () => {
    expect(catalogProblems(catalog)).toEqual([]);
  });

  it("reports an unknown target, a duplicate id, a non-kebab id and a tool in two packs", () => {
    expect(broken((c) => ({ ...c, templates: [{ ...c.templates[0]!, targets: [unknown<TargetId>("lambda")] }] }))).toContain(
      'template "authless" names unknown target "lambda"',
    );
    expect(broken((c) => ({ ...c, targets: [...c.targets, c.targets[0]!] }))).toContain('target id "workers" appears twice');
    expect(broken((c) => ({ ...c, tools: [{ ...c.tools[0]!, id: unknown<ToolPackId>("WhoAmI") }] }))).toContain('tool pack id "WhoAmI" is not kebab-case');
    expect(broken((c) => ({ ...c, tools: [...c.tools, { ...c.tools[0]!, id: unknown<ToolPackId>("again") }] }))).toContain(
      'tool "whoami" is in both "whoami" and "again"',
    );
    expect(broken((c) => ({ ...c, defaults: { ...c.defaults, template: unknown<TemplateId>("nope") } }))).toContain('default template "nope" is unknown');
  });

  it("holds ids to the id unions: a typo is a compile error, an entry missing or outside the union a load error", () => {
    // @ts-expect-error: "workoss" is not a template id
    const typo: TemplateId = "workoss";
    // @ts-expect-error: "lambda" is not a target id
    const target: TargetId = "lambda";
    // @ts-expect-error: "who-am-i" is not a tool pack id
    const pack: ToolPackId = "who-am-i";
    expect([typo, target, pack]).toHaveLength(3);
    expect(broken((c) => ({ ...c, targets: c.targets.filter((t) => t.id !== "node") }))).toContain('target id "node" (TARGET_IDS) has no catalog entry');
    expect(broken((c) => ({ ...c, tools: [...c.tools, { ...c.tools[0]!, id: unknown<ToolPackId>("whoami-two"), tools: [] }] }))).toEqual([
      'tool pack id "whoami-two" is not in TOOL_PACK_IDS (types.ts)',
    ]);
  });

  it("reports a role that grants a permission its pack does not declare, or has a slug WorkOS refuses", () => {
    const withRole = (c: Catalog, packId: string, permissions: string[], slug = "shop-admin") => ({
      ...c,
      tools: c.tools.map((p) => (p.id === packId ? { ...p, roles: [{ slug, name: "R", description: "R", permissions }] } : p)),
    });
    // Another pack's permission, and one nobody declares.
    expect(broken((c) => withRole(c, "shop", ["shop:admin", "audit:read"]))).toEqual([
      'role "shop-admin" of tool pack "shop" grants "audit:read", which the pack does not declare in needs.permissions',
    ]);
    expect(broken((c) => withRole(c, "whoami", ["whoami:all"], "everyone"))).toEqual([
      'role "everyone" of tool pack "whoami" grants "whoami:all", which the pack does not declare in needs.permissions',
    ]);
    expect(broken((c) => withRole(c, "shop", ["shop:admin"], "Shop Admin"))).toEqual(['role "Shop Admin" of tool pack "shop" is not kebab-case']);
    // As shipped, every role grants only its own pack's permissions.
    for (const pack of catalog.tools) for (const role of pack.roles ?? []) for (const p of role.permissions) expect(pack.needs.permissions).toContain(p);
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
