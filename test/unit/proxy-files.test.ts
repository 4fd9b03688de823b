import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { afterAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { TEMPLATES_ROOT } from "../../src/paths.js";
import { createPlan } from "../../src/plan/plan.js";
import { readTemplateTree } from "../../src/render/template-tree.js";
import { writeProject } from "../../src/render/write-project.js";
import { optionsFor } from "../helpers/options.js";

// WorkOS proxy mode on Workers, rendered (no install): the OAuth provider's wiring, bindings, settings and docs.
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cma-proxy-files-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function render() {
  const options = optionsFor({ template: "workos", target: "workers", authMode: "proxy", tools: ["whoami"], directory: "proxy-files", projectDir: path.join(work, "proxy-files"), packageName: "proxy-files" });
  const plan = createPlan(options, { catalog, templateTree: readTemplateTree(TEMPLATES_ROOT), cliVersion: "0.0.0-test", cwd: work });
  await writeProject(plan, TEMPLATES_ROOT);
  const dir = path.join(work, "proxy-files");
  return { plan, read: (file: string) => fs.readFileSync(path.join(dir, file), "utf8") };
}

const { plan, read } = await render();

describe("workos proxy mode on workers", () => {

  it("layers the generic OAuth server (modes/proxy) under the WorkOS sign-in (auth/workos/proxy)", () => {
    expect(plan.layers).toEqual(expect.arrayContaining(["modes/proxy/workers", "auth/workos/proxy"]));
    const sources = Object.fromEntries(plan.files.map((f) => [f.path, f.source]));
    expect(sources["src/index.ts"]).toBe("modes/proxy/workers/src/index.ts");
    expect(sources["src/server/auth.ts"]).toBe("modes/proxy/workers/src/server/auth.ts");
    expect(sources["src/sign-in.ts"]).toBe("auth/workos/proxy/src/sign-in.ts");
    expect(sources["src/server/grants.ts"]).toBe("modes/proxy/workers/src/server/grants.ts");
    expect(sources["test/auth-fixture.ts"]).toBe("auth/workos/proxy/test/auth-fixture.ts");
    // The generic part never names WorkOS: another provider (GitHub) supplies only src/sign-in.ts and its fixture.
    for (const file of plan.files.filter((f) => f.source.startsWith("modes/proxy/"))) {
      expect(fs.readFileSync(path.join(TEMPLATES_ROOT, file.source), "utf8"), file.source).not.toMatch(/workos|authkit/i);
    }
  });

  it("binds OAUTH_KV, enables CIMD's fetch protection and depends on the OAuth provider", () => {
    const wrangler = parseJsonc(read("wrangler.jsonc"));
    expect(wrangler.kv_namespaces).toEqual(expect.arrayContaining([expect.objectContaining({ binding: "OAUTH_KV" })]));
    expect(wrangler.compatibility_flags).toEqual(expect.arrayContaining(["nodejs_compat", "global_fetch_strictly_public"]));
    expect(wrangler.secrets.required).toEqual(expect.arrayContaining(["WORKOS_APP_CLIENT_SECRET", "COOKIE_ENCRYPTION_KEY"]));
    expect(Object.keys(wrangler.vars)).toEqual(expect.arrayContaining(["AUTHKIT_DOMAIN", "WORKOS_APP_CLIENT_ID"]));
    const pkg = JSON.parse(read("package.json"));
    expect(pkg.dependencies["@cloudflare/workers-oauth-provider"]).toMatch(/^\^1\.2\./);
    expect(pkg.dependencies.jose).toBeTruthy();
    expect(pkg["create-mcp-auth"]).toMatchObject({ template: "workos", authMode: "proxy", target: "workers" });
  });

  it("documents the manual set-up: the OAuth application with /callback, secrets, the KV namespace", () => {
    const readme = read("README.md");
    expect(readme).toContain("## Sign-in (WorkOS AuthKit, proxy mode)");
    expect(readme).toContain("/callback");
    expect(readme).toContain("npx wrangler secret put WORKOS_APP_CLIENT_SECRET");
    expect(readme).toContain("npx wrangler secret put COOKIE_ENCRYPTION_KEY");
    expect(readme).toContain("npx wrangler kv namespace create OAUTH_KV");
    expect(readme).toMatch(/__Host-/);
    expect(readme).toContain("**Your account page**: `/account`");
    expect(read("src/server/proxy/account-orders.ts")).toContain("HAS_ORDERS = false"); // no shop pack here
    for (const name of ["WORKOS_APP_CLIENT_ID", "WORKOS_APP_CLIENT_SECRET", "COOKIE_ENCRYPTION_KEY"]) {
      expect(read(".dev.vars.example")).toContain(`# ${name}=`);
    }
  });

  it("keeps the stand-in upstream and the headless flow in the project's own tests", () => {
    expect(read("test/auth-fixture.ts")).toContain("proxyAuthFixture");
    expect(read("test/proxy-fixture.ts")).toContain("signInHeadless");
    expect(read("test/oauth-flow.ts")).toContain("code_challenge_method");
  });
});
