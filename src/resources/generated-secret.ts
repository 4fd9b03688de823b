import { reportResource } from "../report/result.js";
import { secretsFileName, secretValue, writeSetting } from "../project/settings.js";
import type { GeneratedSecretResource, ResourceModule } from "./types.js";

/** A secret the catalog says to generate (random, 32 bytes as hex) once into the git-ignored file, and reuse. */
export const generatedSecret: ResourceModule<GeneratedSecretResource> = {
  kind: "generated_secret",
  plan: (project) =>
    project.settings
      .filter((setting) => setting.provision?.from === "generated")
      .map((setting) => ({
        kind: "generated_secret",
        name: setting.name,
        provider: "local",
        stage: "provision",
        description: `${setting.name}, generated once into ${secretsFileName(project)} and reused`,
      })),

  async provision(run, resource) {
    if (secretValue(run.plan, resource.name)) {
      reportResource(run.result, resource.kind, resource.name, null, "reused");
      return;
    }
    const { randomBytes } = await import("node:crypto"); // loaded here, not by every scaffold
    writeSetting(run.plan, resource.name, randomBytes(32).toString("hex"), true);
    reportResource(run.result, resource.kind, resource.name, null, "created");
    run.progress.done(`Generated ${resource.name} into ${secretsFileName(run.plan)} (git-ignored)`);
  },
};
