import { describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { projectPlan } from "../../src/plan/plan.js";
import { resourceModule, teardownRank } from "../../src/resources/index.js";
import { everyTemplateTargetMode } from "../helpers/combinations.js";
import { optionsFor } from "../helpers/options.js";

/** Every template × target × auth mode it runs in, with every pack it can use, and each WorkOS sign-in path. */
function everyProject() {
  return everyTemplateTargetMode().flatMap(({ usablePacks, ...choice }) =>
    [undefined, "environment" as const]
      .filter((workosClient) => !workosClient || (choice.template === "workos" && choice.authMode === "proxy"))
      .map((workosClient) => projectPlan(optionsFor({ ...choice, tools: usablePacks, ...(workosClient ? { workosClient } : {}) }), catalog)),
  );
}

describe("resource modules", () => {
  it("cover every kind any project's Plan lists, and each can act at the stage it is listed for", () => {
    const kinds = new Set<string>();
    for (const plan of everyProject()) {
      for (const resource of plan.resources) {
        kinds.add(resource.kind);
        const module = resourceModule(resource.kind);
        expect(module, resource.kind).toBeDefined();
        if (resource.stage === "provision") expect(module!.provision, `${resource.kind} at provision`).toBeTypeOf("function");
        // A Worker secret goes with the Worker's own deploy.
        else if (resource.kind !== "cloudflare.worker_secret") expect(module!.deploy ?? module!.afterDeploy, `${resource.kind} at deploy`).toBeTypeOf("function");
      }
    }
    expect([...kinds].sort()).toEqual(
      [
        "cloudflare.kv_namespace",
        "cloudflare.worker",
        "cloudflare.worker_secret",
        "generated_secret",
        "github.callback_url",
        "workos.client_secret",
        "workos.dcr_check",
        "workos.oauth_application",
        "workos.oauth_resource",
        "workos.permission",
        "workos.redirect_uri",
        "workos.role",
      ].sort(),
    );
  });

  it("tear down what depends on something before what it depends on", () => {
    const before = (first: string, then: string) => expect(teardownRank(first), `${first} before ${then}`).toBeLessThan(teardownRank(then));
    before("cloudflare.worker", "cloudflare.kv_namespace");
    // A secret is listed after its owner, so a failed deletion of the owner leaves it in the state file.
    before("cloudflare.worker", "cloudflare.worker_secret");
    before("workos.oauth_application", "workos.client_secret");
    before("workos.role", "workos.permission");
    before("workos.redirect_uri", "workos.oauth_application");
    // Kinds a newer version wrote go last, after everything this one knows.
    before("workos.permission", "someone.elses_kind");
  });

  it("plans no resource twice, and only Workers projects have Cloudflare ones", () => {
    for (const plan of everyProject()) {
      const keys = plan.resources.map((r) => `${r.kind} ${r.name}`);
      expect(new Set(keys).size, keys.join(", ")).toBe(keys.length);
      if (!plan.workers) expect(plan.resources.filter((r) => r.provider === "cloudflare")).toEqual([]);
    }
  });
});
