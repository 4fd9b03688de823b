import type { ResourceModule, WorkerSecretResource } from "./types.js";

/** A secret of the Worker: uploaded by the Worker's own deploy (see worker.ts), deleted with it. */
export const workerSecret: ResourceModule<WorkerSecretResource> = {
  kind: "cloudflare.worker_secret",
  plan: (project) => {
    if (!project.workers) return [];
    const { required, optional } = project.secrets;
    return [...required, ...optional]
      .sort((a, b) => project.settings.findIndex((s) => s.name === a) - project.settings.findIndex((s) => s.name === b))
      .map((name) => ({
        kind: "cloudflare.worker_secret",
        name,
        required: required.includes(name),
        provider: "cloudflare",
        stage: "deploy",
        description: `Worker secret ${name}, ${required.includes(name) ? "uploaded with the deploy" : "uploaded with the deploy when set"}`,
      }));
  },
  // Deleted with the Worker, which goes first; listed after it so a failed Worker deletion leaves them in the state file.
  teardown: 11,
};
