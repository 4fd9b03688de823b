import { LOCAL_ORIGIN, type ProviderResourceConfig } from "../catalog/index.js";
import { registerSecret } from "../net/redact.js";
import type { Ledger } from "./find-or-create.js";
import { projectFiles, type Project } from "./project.js";
import { readText, removeDotenv, setRequiredSecrets, setStampKey, setVar, writeText } from "./project-files.js";
import { reportResource, type CloudSession, type Prepared } from "./session.js";
import { findResource, recordResource } from "./state.js";
import { secretValue, writeSetting } from "./settings-files.js";

type SignInApplication = Extract<ProviderResourceConfig, { kind: "workos.oauth_application" }>;

/**
 * Proxy mode's upstream sign-in. By default the server's own WorkOS OAuth application, found or created, with
 * `<origin>/callback` among its redirect URIs; with `--workos-client environment`, the environment's AuthKit client, whose
 * redirect URIs (/user_management/redirect_uris) get the same callbacks instead. The project's files follow the choice.
 */
export async function provisionSignIn(session: CloudSession, prepared: Prepared, ledger: Ledger, resource: SignInApplication): Promise<void> {
  const { project, progress } = session;
  const api = prepared.workos!.api;
  const redirectUris = [`${LOCAL_ORIGIN}${resource.callbackPath}`, ...(ledger.state.url ? [`${ledger.state.url}${resource.callbackPath}`] : [])];
  followSignInPath(project, resource);

  if (project.options.workosClient === "environment") {
    progress.start("AuthKit redirect URIs of the environment's client");
    for (const uri of redirectUris) await api.ensureEnvironmentRedirectUri(ledger, uri);
    progress.done(`AuthKit redirect URIs: ${redirectUris.join(", ")} (people sign in through the environment's client)`);
    return;
  }

  progress.start(`WorkOS OAuth application ${project.name}`);
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
}

/** After a deploy: `<url>/callback` joins the redirect URIs of whichever client people sign in through. */
export async function registerDeployedCallback(session: CloudSession, prepared: Prepared, ledger: Ledger, resource: SignInApplication, url: string): Promise<void> {
  const { project, progress } = session;
  const api = prepared.workos!.api;
  const callback = `${url}${resource.callbackPath}`;
  if (project.options.workosClient === "environment") {
    await api.ensureEnvironmentRedirectUri(ledger, callback);
  } else {
    const app = findResource(ledger.state, "workos.oauth_application", project.name);
    if (!app?.id) return;
    const info = await api.application(app.id, project.name);
    const had = info.redirectUris.includes(callback);
    await api.addRedirectUris(info, [callback]);
    reportResource(session.result, "workos.redirect_uri", callback, app.id, had ? "reused" : "created");
  }
  progress.done(`Registered ${callback} with WorkOS`);
}

/**
 * Makes the project's files say which client signs people in, as the server decides it at run time: the stamp, the
 * unused client id emptied (an own application's id wins when set), and `secrets.required` listing what this path needs.
 */
function followSignInPath(project: Project, resource: SignInApplication): void {
  const files = projectFiles(project);
  const environment = project.options.workosClient === "environment";
  writeText(files.packageJson, setStampKey(readText(files.packageJson), "workosClient", environment ? "environment" : undefined));
  const unused = environment ? resource.clientIdSetting : resource.environmentClientIdSetting;
  writeText(files.wrangler, setVar(readText(files.wrangler), unused, ""));
  const secrets = readText(files.secrets);
  if (removeDotenv(secrets, unused) !== secrets) writeText(files.secrets, removeDotenv(secrets, unused), true);
  writeText(files.wrangler, setRequiredSecrets(readText(files.wrangler), project.requiredSecrets));
}
