import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { createPlan, nextStepsAfterInterrupt } from "../../src/plan/plan.js";
import { describePlan, layerOf } from "../../src/report/describe-plan.js";
import { applyPlan, emptyResult } from "../../src/report/result.js";
import { optionsFor } from "../helpers/options.js";

const templateTree = [
  "base/README.md.hbs",
  "base/_gitignore",
  "base/src/app.ts",
  "targets/workers/src/app.ts",
  "targets/workers/wrangler.jsonc.hbs",
  "targets/node/src/index.ts",
  "auth/authless/shared/src/auth.ts",
  "auth/authless/workers/src/auth.ts",
  "tools/whoami/src/tools/whoami.ts",
  "tools/other/src/tools/other.ts",
];
const inputs = { catalog, templateTree, cliVersion: "9.9.9", cwd: "/work/projects" };

describe("createPlan", () => {
  it("applies layers base → target → auth → tools, later ones replacing same-named files", () => {
    const plan = createPlan(optionsFor(), inputs);
    expect(plan.layers).toEqual(["base", "targets/workers", "auth/authless/shared", "auth/authless/workers", "tools/whoami"]);
    expect(plan.files).toEqual([
      { path: ".gitignore", source: "base/_gitignore", render: false },
      { path: "README.md", source: "base/README.md.hbs", render: true },
      { path: "src/app.ts", source: "targets/workers/src/app.ts", render: false },
      { path: "src/auth.ts", source: "auth/authless/workers/src/auth.ts", render: false },
      { path: "src/tools/whoami.ts", source: "tools/whoami/src/tools/whoami.ts", render: false },
      { path: "wrangler.jsonc", source: "targets/workers/wrangler.jsonc.hbs", render: true },
    ]);
  });

  it("says which layer each file comes from, in --dry-run's listing and its --json", () => {
    const plan = createPlan(optionsFor({ dryRun: true }), inputs);
    expect(plan.files.map((f) => [f.path, layerOf(plan, f)])).toEqual([
      [".gitignore", "base"],
      ["README.md", "base"],
      ["src/app.ts", "targets/workers"],
      ["src/auth.ts", "auth/authless/workers"],
      ["src/tools/whoami.ts", "tools/whoami"],
      ["wrangler.jsonc", "targets/workers"],
    ]);
    const text = describePlan(plan);
    expect(text).toContain("Files (6; each with the template layer it comes from, later layers replacing earlier ones):\n");
    expect(text).toMatch(/\n {2}src\/app\.ts +targets\/workers\n/);
    expect(text).toMatch(/\n {2}src\/tools\/whoami\.ts +tools\/whoami\n/);
    const result = emptyResult("create");
    applyPlan(result, plan);
    expect(result.files).toContain("src/auth.ts");
    expect(result.sources).toContainEqual({ path: "src/auth.ts", layer: "auth/authless/workers", source: "auth/authless/workers/src/auth.ts" });
    // A real run lists the paths only.
    const real = emptyResult("create");
    applyPlan(real, createPlan(optionsFor(), inputs));
    expect(real.files).toContain("src/auth.ts");
    expect(real.sources).toBeUndefined();
  });

  it("adds the auth mode's layers for templates with sign-in, and collects partials by name", () => {
    const tree = [...templateTree, "base/partials/sign-in.hbs", "features/jwt/src/jwt.ts", "auth/workos/direct/partials/sign-in.hbs", "auth/workos/shared/src/workos.ts"];
    const plan = createPlan(optionsFor({ template: "workos", authMode: "direct", target: "node" }), { ...inputs, templateTree: tree });
    expect(plan.layers).toEqual([
      "base",
      "targets/node",
      "modes/direct/shared",
      "modes/direct/node",
      "auth/workos/shared",
      "auth/workos/node",
      "auth/workos/direct",
      "features/audit-trail",
      "features/dev-sign-in",
      "features/jwt",
      "tools/whoami",
    ]);
    expect(plan.partials).toEqual([{ name: "sign-in", source: "auth/workos/direct/partials/sign-in.hbs" }]);
    expect(plan.files.map((f) => f.path)).toEqual(expect.arrayContaining(["src/jwt.ts", "src/workos.ts"]));
    expect(plan.files.some((f) => f.path.startsWith("partials/"))).toBe(false);
    expect(plan.context).toMatchObject({ signIn: true, direct: true, proxy: false });
    expect(plan.context.settingNames).toEqual(expect.arrayContaining(["PUBLIC_URL", "HOST", "AUTHKIT_DOMAIN", "WORKOS_AUDIENCE"]));
    expect(plan.context.secretNames).toEqual(["WORKOS_API_KEY"]);
  });

  it("adds the audit trail to every template with sign-in, and to authless only with the audit pack", () => {
    const layers = (overrides: Parameters<typeof optionsFor>[0]) => createPlan(optionsFor(overrides), inputs).layers;
    expect(layers({ template: "oidc", authMode: "direct", tools: [] })).toContain("features/audit-trail");
    expect(layers({ tools: ["whoami", "shop"] })).not.toContain("features/audit-trail");
    expect(layers({ tools: ["audit"] })).toContain("features/audit-trail");
  });

  it("checks JWTs itself in direct mode, and in proxy mode only for a provider with machine tokens (WorkOS, not GitHub)", () => {
    const layers = (overrides: Parameters<typeof optionsFor>[0]) => createPlan(optionsFor(overrides), inputs).layers;
    expect(layers({ template: "oidc", authMode: "direct", tools: [] })).toContain("features/jwt");
    expect(layers({ template: "workos", authMode: "proxy", target: "workers", tools: [] })).toContain("features/jwt");
    expect(layers({ template: "github", authMode: "proxy", target: "workers", tools: [] })).not.toContain("features/jwt");
    expect(layers({ tools: [] })).not.toContain("features/jwt");
  });

  it("leaves out the other target's files and unselected packs", () => {
    const plan = createPlan(optionsFor({ target: "node", tools: [] }), inputs);
    expect(plan.files.map((f) => f.source)).toEqual([
      "base/_gitignore",
      "base/README.md.hbs",
      "base/src/app.ts",
      "auth/authless/shared/src/auth.ts",
      "targets/node/src/index.ts",
    ]);
  });

  it("gives templates the names they use", () => {
    const plan = createPlan(optionsFor({ directory: "My Server", packageManager: "pnpm" }), inputs);
    expect(plan.context).toMatchObject({
      name: "my-server",
      title: "My Server",
      template: "authless",
      target: "workers",
      workers: true,
      node: false,
      authMode: null,
      tools: ["whoami"],
      packageManager: { name: "pnpm", install: "pnpm install", run: "pnpm" },
      cliVersion: "9.9.9",
    });
    expect(plan.context.compatibilityDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("lists the steps a run takes and why the others are skipped", () => {
    const plan = createPlan(optionsFor({ install: false }), inputs);
    expect(plan.steps).toEqual([
      { name: "render", run: true },
      { name: "install", run: false, reason: "--no-install" },
      { name: "provision", run: false, reason: expect.stringContaining("--provision") },
      { name: "git", run: true },
      { name: "deploy", run: false, reason: expect.stringContaining("--deploy") },
    ]);
  });

  it("starts next steps with a cd that a shell accepts, and install when skipped", () => {
    const plan = createPlan(optionsFor({ directory: "My Server", install: false }), inputs);
    expect(plan.nextSteps.slice(0, 2)).toEqual(['cd "My Server"', "npm install"]);
    // A name that starts with "-" is still a path to cd, not an option.
    const dashed = createPlan(optionsFor({ directory: "-rf", projectDir: "/work/projects/-rf", install: false }), inputs);
    expect(dashed.nextSteps[0]).toBe("cd ./-rf");
    const here = createPlan(optionsFor({ directory: ".", projectDir: "/work/projects" }), inputs);
    expect(here.nextSteps[0]).toMatch(/^npm run dev/);
  });

  it("names what sign-in needs and the provision command in the next steps of a sign-in template, not of authless", () => {
    const proxy = createPlan(optionsFor({ template: "workos", authMode: "proxy", target: "workers" }), inputs).nextSteps.join("\n");
    expect(proxy).toContain("development sign-in");
    expect(proxy).toMatch(/npx create-mcp-auth provision .*AUTHKIT_DOMAIN, WORKOS_APP_CLIENT_ID, WORKOS_APP_CLIENT_SECRET, COOKIE_ENCRYPTION_KEY/);
    const environment = createPlan(optionsFor({ template: "workos", authMode: "proxy", target: "workers", workosClient: "environment" }), inputs).nextSteps.join("\n");
    expect(environment).toMatch(/AUTHKIT_DOMAIN, COOKIE_ENCRYPTION_KEY, WORKOS_CLIENT_ID, WORKOS_API_KEY/);
    const provisioned = createPlan(optionsFor({ template: "oidc", authMode: "direct", provision: true }), inputs).nextSteps.join("\n");
    expect(provisioned).not.toContain("create-mcp-auth provision");
    expect(createPlan(optionsFor(), inputs).nextSteps.join("\n")).not.toContain("provision");
  });

  it("after Ctrl-C, lists what finishes the interrupted step and those after it, then the usual next steps", () => {
    const plan = createPlan(optionsFor({ template: "workos", authMode: "proxy", provision: true, deploy: true, git: false }), inputs);
    const commands = (step: "install" | "provision" | "deploy") => nextStepsAfterInterrupt(plan, step, inputs.cwd).map((s) => s.split("   ")[0]);
    expect(commands("install")).toEqual(["cd my-server", "npm install", "create-mcp-auth deploy", "npm run dev", "npx @modelcontextprotocol/inspector"]);
    expect(commands("deploy")).toEqual(["cd my-server", "create-mcp-auth deploy", "npm run dev", "npx @modelcontextprotocol/inspector"]);
    const provisionOnly = createPlan(optionsFor({ template: "workos", authMode: "proxy", provision: true }), inputs);
    expect(nextStepsAfterInterrupt(provisionOnly, "provision", inputs.cwd).slice(1, 3)).toEqual([
      "create-mcp-auth provision",
      'git init && git add --all && git commit -m "Initial commit from create-mcp-auth"',
    ]);
  });

  it("is a pure function of its inputs", () => {
    const options = optionsFor();
    expect(createPlan(options, inputs)).toEqual(createPlan(structuredClone(options), inputs));
    expect(path.isAbsolute(createPlan(options, inputs).project.projectDir)).toBe(true);
  });
});
