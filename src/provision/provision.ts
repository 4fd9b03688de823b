import { randomBytes } from "node:crypto";
import type { Ledger } from "./find-or-create.js";
import { currentSetting, projectFiles } from "./project.js";
import { readText, setKvNamespaceId, writeText } from "./project-files.js";
import { asStepFailure, openLedger, reportResource, type CloudSession, type Prepared } from "./session.js";
import { secretValue, writeSetting } from "./settings-files.js";
import { provisionSignIn } from "./sign-in.js";

export { asStepFailure };

/**
 * Finds or creates everything the project needs before a deploy: KV namespaces (ids into wrangler.jsonc),
 * settings copied from the environment, generated secrets, the sign-in provider's application, permissions and roles.
 * Every step is recorded as it happens, so a failure leaves a state a rerun converges from.
 */
export async function provisionProject(session: CloudSession, prepared: Prepared, ledger: Ledger = openLedger(session)): Promise<Ledger> {
  const { project, progress } = session;
  try {
    // 1. Cloudflare KV namespaces.
    if (prepared.cloudflare) {
      const { api, accountId } = prepared.cloudflare;
      if (ledger.state.accountId !== accountId) {
        ledger.state.accountId = accountId;
        ledger.save();
      }
      for (const resource of project.resources.filter((r) => r.kind === "cloudflare.kv_namespace")) {
        const binding = resource.name.slice(project.name.length + 1);
        progress.start(`Cloudflare KV namespace ${resource.name}`);
        const id = await api.ensureKvNamespace(ledger, accountId, resource.name, binding);
        const files = projectFiles(project);
        writeText(files.wrangler, setKvNamespaceId(readText(files.wrangler), binding, id));
        progress.done(`KV namespace ${resource.name} (${id})`);
      }
    }

    // 2. Settings from the environment, and secrets generated once.
    for (const [name, value] of prepared.values) {
      const setting = project.settings.find((s) => s.name === name)!;
      if (currentSetting(project, name) !== value) writeSetting(project, name, value, setting.secret ?? false);
    }
    for (const setting of project.settings) {
      if (setting.provision?.from !== "generated") continue;
      if (secretValue(project, setting.name)) {
        reportResource(session.result, "generated_secret", setting.name, null, "reused");
        continue;
      }
      writeSetting(project, setting.name, randomBytes(32).toString("hex"), true);
      reportResource(session.result, "generated_secret", setting.name, null, "created");
      progress.done(`Generated ${setting.name} into ${project.workers ? ".dev.vars" : ".env"} (git-ignored)`);
    }

    // 3. The sign-in provider.
    if (prepared.workos && project.options.authMode) {
      const { api } = prepared.workos;
      for (const resource of project.template.provisioning?.resources[project.options.authMode] ?? []) {
        if (resource.kind === "workos.oauth_application") {
          await provisionSignIn(session, prepared, ledger, resource);
        } else if (resource.kind === "workos.dcr_check") {
          const domain = prepared.values.get("AUTHKIT_DOMAIN") ?? currentSetting(project, "AUTHKIT_DOMAIN");
          if (!domain) continue;
          const on = await api.dcrEnabled(domain);
          reportResource(session.result, "workos.dcr_check", "Dynamic Client Registration", null, on ? "reused" : "skipped");
          if (on) progress.done("AuthKit advertises Dynamic Client Registration");
          else {
            const step = DCR_MANUAL_STEP;
            progress.warn(step);
            if (!session.result.nextSteps.includes(step)) session.result.nextSteps.push(step);
          }
        }
      }
      const permissions = [...new Set(project.packs.flatMap((p) => p.needs.permissions))];
      for (const slug of permissions) {
        const pack = project.packs.find((p) => p.needs.permissions.includes(slug))!;
        await api.ensurePermission(ledger, slug, `Checked by the ${pack.id} tools of ${project.name}.`);
      }
      for (const role of project.packs.flatMap((p) => p.roles ?? [])) await api.ensureRole(ledger, role);
      if (permissions.length > 0) progress.done(`WorkOS permissions: ${permissions.join(", ")}`);
    }
  } catch (error) {
    progress.fail("Provisioning stopped");
    throw asStepFailure(error, "provision");
  }
  return ledger;
}

export const DCR_MANUAL_STEP =
  "One manual step: in the WorkOS dashboard, Connect → Configuration, turn on Dynamic Client Registration (no API offers it), so MCP clients can register; then rerun `create-mcp-auth provision` to check.";
