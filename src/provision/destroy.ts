import * as clack from "@clack/prompts";
import { CancelledError, UsageError } from "../errors.js";
import type { ResourceKind } from "../plan/types.js";
import { asStepFailure } from "./provision.js";
import { projectFiles } from "./project.js";
import { readText, removeDotenv, removeKvNamespaceId, setVar, writeText } from "./project-files.js";
import { openLedger, prepare, reportResource, type CloudSession } from "./session.js";
import { removeResource, STATE_FILE, type StateResource } from "./state.js";

/**
 * Deletion order: what depends on something goes first (the Worker before its KV namespaces, roles before the permissions
 * they grant). A Worker's secrets and an application's client secret go with their owner, so they are listed after it: if
 * deleting the owner fails, the state file still lists them.
 */
const ORDER: ResourceKind[] = [
  "cloudflare.worker",
  "cloudflare.worker_secret",
  "cloudflare.kv_namespace",
  "workos.oauth_resource",
  "workos.redirect_uri",
  "workos.oauth_application",
  "workos.client_secret",
  "workos.role",
  "workos.permission",
];

/**
 * Deletes exactly what the state file lists as created by this project, and nothing else; what it found already there
 * (created: false) is left alone. Asks first; -y answers for CI; non-interactive without -y is a usage error.
 */
export async function destroyProject(session: CloudSession): Promise<void> {
  const { project, progress } = session;
  const ledger = openLedger(session);
  const { state } = ledger;
  const owned = state.resources.filter((r) => r.created);
  const kept = state.resources.filter((r) => !r.created);
  if (!session.yes && !session.interactive) {
    throw new UsageError(`destroy deletes what ${STATE_FILE} lists (${owned.length} resource${owned.length === 1 ? "" : "s"} made by this project); pass -y (--yes) to confirm in a non-interactive run.`, "confirmation_required");
  }
  if (state.resources.length === 0) {
    progress.info(`Nothing to delete: ${STATE_FILE} lists no resources.`);
    return;
  }

  const listing = owned.map((r) => `  - ${r.kind} ${r.name}${r.id && r.id !== r.name ? ` (${r.id})` : ""}`).join("\n");
  if (!session.yes) {
    clack.note(`${listing || "  (none made by this project)"}${kept.length ? `\nLeft alone (they existed before): ${kept.map((r) => r.name).join(", ")}` : ""}`, "create-mcp-auth destroy will delete");
    const yes = await clack.confirm({ message: "Delete these now? This cannot be undone.", initialValue: false });
    if (clack.isCancel(yes) || !yes) throw new CancelledError("Nothing deleted.");
  }

  const kinds = new Set(owned.map((r) => r.kind));
  const needsCloudflare = [...kinds].some((k) => k.startsWith("cloudflare."));
  const needsWorkos = [...kinds].some((k) => k.startsWith("workos."));
  const prepared = await prepare(
    { ...session, accountId: session.accountId ?? state.accountId ?? undefined },
    { cloudflare: needsCloudflare, workos: needsWorkos, settings: false },
    "`create-mcp-auth destroy`",
    "destroy",
  );
  const sorted = [...owned].sort((a, b) => ORDER.indexOf(a.kind as ResourceKind) - ORDER.indexOf(b.kind as ResourceKind));
  const deletedKinds = new Set<string>();
  try {
    for (const resource of sorted) {
      progress.start(`Deleting ${resource.kind} ${resource.name}`);
      await deleteOne(resource, prepared, state.accountId ?? prepared.cloudflare?.accountId ?? "", deletedKinds);
      removeResource(state, resource.kind, resource.name);
      deletedKinds.add(resource.kind);
      ledger.save();
      forgetInProject(session, resource);
      reportResource(session.result, resource.kind, resource.name, resource.id, "deleted");
      progress.done(`Deleted ${resource.kind} ${resource.name}`);
    }
  } catch (error) {
    progress.fail("Destroy stopped");
    throw asStepFailure(error, "destroy");
  }
  for (const resource of kept) {
    removeResource(state, resource.kind, resource.name);
    reportResource(session.result, resource.kind, resource.name, resource.id, "skipped");
  }
  state.url = null;
  ledger.save();
  if (kept.length > 0) progress.info(`Left alone (they existed before this project): ${kept.map((r) => `${r.kind} ${r.name}`).join(", ")}`);
}

async function deleteOne(resource: StateResource, prepared: Awaited<ReturnType<typeof prepare>>, accountId: string, deletedKinds: Set<string>): Promise<void> {
  const cf = prepared.cloudflare?.api;
  const workos = prepared.workos?.api;
  switch (resource.kind) {
    case "cloudflare.worker_secret":
      // Deleted with the Worker, which went first.
      return;
    case "cloudflare.worker":
      await cf!.deleteWorker(accountId, resource.name);
      return;
    case "cloudflare.kv_namespace":
      await cf!.deleteKvNamespace(accountId, resource.id!, resource.name);
      return;
    case "workos.oauth_resource":
      await workos!.deleteOauthResource(resource.id!, resource.name);
      return;
    case "workos.redirect_uri":
      await workos!.deleteEnvironmentRedirectUri(resource.id!, resource.name);
      return;
    case "workos.client_secret":
      // Deleted with its application, which went first.
      return;
    case "workos.oauth_application":
      await workos!.deleteApplication(resource.id!, resource.name);
      return;
    case "workos.role":
      await workos!.deleteRole(resource.name);
      return;
    case "workos.permission":
      await workos!.deletePermission(resource.name);
      return;
    default:
      void deletedKinds;
  }
}

/** After a deletion, the project stops pointing at it: KV ids leave wrangler.jsonc, an application's ids leave the settings. */
function forgetInProject(session: CloudSession, resource: StateResource): void {
  const { project } = session;
  const files = projectFiles(project);
  if (resource.kind === "cloudflare.kv_namespace" && project.workers) {
    const binding = resource.name.slice(project.name.length + 1);
    writeText(files.wrangler, removeKvNamespaceId(readText(files.wrangler), binding));
  }
  if (resource.kind === "workos.oauth_application" && project.options.authMode) {
    for (const r of project.template.provisioning?.resources[project.options.authMode] ?? []) {
      if (r.kind !== "workos.oauth_application") continue;
      if (project.workers) writeText(files.wrangler, setVar(readText(files.wrangler), r.clientIdSetting, ""));
      else writeText(files.secrets, removeDotenv(readText(files.secrets), r.clientIdSetting), true);
      writeText(files.secrets, removeDotenv(readText(files.secrets), r.clientSecretSetting), true);
    }
  }
}
