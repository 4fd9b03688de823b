import { randomBytes } from "node:crypto";
import { registerSecret } from "../net/redact.js";
import { findResource, recordResource } from "./state.js";
import type { Ledger } from "./find-or-create.js";
import { currentSetting, projectFiles, type Project } from "./project.js";
import { parseDotenv, readText, setDotenv, setKvNamespaceId, setVar, writeText } from "./project-files.js";
import { asStepFailure, openLedger, reportResource, type CloudSession, type Prepared } from "./session.js";

export { asStepFailure };

/** The URL local development serves (design.md §5); proxy mode's OAuth application accepts its /callback too. */
export const LOCAL_ORIGIN = "http://localhost:8787";

/** Writes a setting where the project reads it: Workers keep plain vars in wrangler.jsonc, everything else the dotenv file. */
export function writeSetting(project: Project, name: string, value: string, secret: boolean): void {
  const files = projectFiles(project);
  if (project.workers && !secret) {
    writeText(files.wrangler, setVar(readText(files.wrangler), name, value));
  } else {
    if (secret) registerSecret(value);
    writeText(files.secrets, setDotenv(readText(files.secrets), name, value), true);
  }
}

export function secretValue(project: Project, name: string): string | undefined {
  const value = parseDotenv(readText(projectFiles(project).secrets)).get(name);
  if (value) registerSecret(value);
  return value || undefined;
}

/**
 * Finds or creates everything the project needs before a deploy (design.md §2): KV namespaces (ids into wrangler.jsonc),
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
          progress.start(`WorkOS OAuth application ${project.name}`);
          const redirectUris = [`${LOCAL_ORIGIN}${resource.callbackPath}`, ...(ledger.state.url ? [`${ledger.state.url}${resource.callbackPath}`] : [])];
          const app = await api.ensureApplication(ledger, project.name, redirectUris);
          const before = new Set(app.action === "created" ? [] : app.redirectUris);
          await api.addRedirectUris(app, redirectUris);
          for (const uri of redirectUris) reportResource(session.result, "workos.redirect_uri", uri, app.id, before.has(uri) ? "reused" : "created");
          writeSetting(project, resource.clientIdSetting, app.clientId, false);
          // The secret is shown once, at creation: keep it in the git-ignored file; without it there, make a new one.
          const secretName = `${project.name} client secret`;
          const known = findResource(ledger.state, "workos.client_secret", secretName);
          if (app.action === "reused" && secretValue(project, resource.clientSecretSetting)) {
            reportResource(session.result, "workos.client_secret", secretName, known?.id ?? null, "reused");
          } else {
            const secret = await api.createClientSecret(app.id, project.name);
            registerSecret(secret.secret);
            writeSetting(project, resource.clientSecretSetting, secret.secret, true);
            recordResource(ledger.state, { kind: "workos.client_secret", name: secretName, id: secret.id, created: true, details: { application: app.id } });
            ledger.save();
            reportResource(session.result, "workos.client_secret", secretName, secret.id, "created");
          }
          progress.done(`WorkOS OAuth application ${project.name} (${app.clientId}) ${app.action}`);
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
