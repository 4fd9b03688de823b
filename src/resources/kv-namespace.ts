import { readText, removeKvNamespaceId, setKvNamespaceId, writeText } from "../project/edits.js";
import { projectFiles } from "../project/settings.js";
import type { KvNamespaceResource, ResourceModule } from "./types.js";

/** A Workers KV namespace, titled `<worker-name>-<BINDING>`; its id goes into wrangler.jsonc. */
export const kvNamespace: ResourceModule<KvNamespaceResource> = {
  kind: "cloudflare.kv_namespace",
  plan: (project) =>
    project.kvNamespaces.map((kv) => ({
      kind: "cloudflare.kv_namespace",
      name: `${project.project.packageName}-${kv.binding}`,
      binding: kv.binding,
      provider: "cloudflare",
      stage: "provision",
      description: `Cloudflare KV namespace for ${kv.binding}: ${kv.description}`,
    })),

  async provision(run, resource) {
    const { api, accountId } = run.access.cloudflare!;
    run.progress.start(`Cloudflare KV namespace ${resource.name}`);
    const id = await api.ensureKvNamespace(run.ledger, accountId, resource.name, resource.binding);
    const files = projectFiles(run.plan);
    writeText(files.wrangler, setKvNamespaceId(readText(files.wrangler), resource.binding, id));
    run.progress.done(`KV namespace ${resource.name} (${id})`);
  },

  teardown: 20,
  async remove(run, recorded) {
    await run.access.cloudflare!.api.deleteKvNamespace(run.access.cloudflare!.accountId, recorded.id!, recorded.name);
  },
  forget(plan, recorded) {
    if (!plan.workers) return;
    const binding = recorded.details?.binding ?? recorded.name.slice(plan.project.packageName.length + 1);
    const files = projectFiles(plan);
    writeText(files.wrangler, removeKvNamespaceId(readText(files.wrangler), binding));
  },
};
