import type { WorkOS } from "@workos-inc/node";
import type { RoleConfig } from "../catalog/index.js";
import type { NetConfig } from "../net/config.js";
import type { FetchFn } from "../net/fetch.js";
import { ApiCallError, requestJson, sdkStep, statusOf, type HttpClient } from "../net/http.js";
import { findOrCreate, type Ledger } from "./find-or-create.js";

/**
 * The WorkOS calls provisioning, deploy and destroy make: `@workos-inc/node` (imported only here, lazily) where it has a
 * wrapper, plain HTTP through the same bounded, proxy-aware fetch where it has none (redirect URIs, AuthKit OAuth resources,
 * deleting a role).
 */
export interface WorkosApplicationInfo {
  id: string;
  clientId: string;
  redirectUris: string[];
}

export interface WorkosApi {
  ensureApplication(ledger: Ledger, name: string, redirectUris: string[]): Promise<WorkosApplicationInfo & { action: "created" | "reused" }>;
  application(id: string, name: string): Promise<WorkosApplicationInfo>;
  /** Adds redirect URIs the application lacks (keeps the others). */
  addRedirectUris(app: WorkosApplicationInfo, uris: string[]): Promise<string[]>;
  removeRedirectUri(appId: string, uri: string): Promise<"deleted" | "gone">;
  createClientSecret(appId: string, appName: string): Promise<{ id: string; secret: string }>;
  deleteApplication(id: string, name: string): Promise<"deleted" | "gone">;
  /** A machine-to-machine application (client credentials) of one organization, by name, if there is one. */
  findAgent(name: string): Promise<{ id: string; clientId: string } | undefined>;
  createAgent(name: string, organizationId: string, scopes: string[], description: string): Promise<{ id: string; clientId: string }>;
  ensurePermission(ledger: Ledger, slug: string, description: string): Promise<string>;
  deletePermission(slug: string): Promise<"deleted" | "gone">;
  ensureRole(ledger: Ledger, role: RoleConfig): Promise<string>;
  deleteRole(slug: string): Promise<"deleted" | "gone">;
  ensureEnvironmentRedirectUri(ledger: Ledger, uri: string): Promise<string>;
  deleteEnvironmentRedirectUri(id: string, uri: string): Promise<"deleted" | "gone">;
  ensureOauthResource(ledger: Ledger, uri: string): Promise<string>;
  deleteOauthResource(id: string, uri: string): Promise<"deleted" | "gone">;
  /** Whether AuthKit's metadata advertises Dynamic Client Registration (a dashboard toggle with no API). */
  dcrEnabled(authkitDomain: string): Promise<boolean>;
}

/** REST-only resources that are a URI with an id: the environment's redirect URIs and AuthKit's OAuth resources. */
interface UriResourceKind {
  kind: "workos.redirect_uri" | "workos.oauth_resource";
  path: string;
  /** In step names: "find <noun> <uri>", "<create> <uri>", "delete <noun> <uri>". */
  noun: string;
  create: string;
}
const REDIRECT_URIS: UriResourceKind = { kind: "workos.redirect_uri", path: "/user_management/redirect_uris", noun: "redirect URI", create: "add redirect URI" };
const OAUTH_RESOURCES: UriResourceKind = {
  kind: "workos.oauth_resource",
  path: "/user_management/authkit_oauth_resources",
  noun: "AuthKit resource",
  create: "set the AuthKit resource indicator",
};

/** `WORKOS_API_HOSTNAME` (host[:port]) → the API origin; plain http only for localhost / 127.0.0.1. */
export function workosApiOrigin(hostname: string | undefined): { origin: string; host: string; port?: number; https: boolean } {
  const value = hostname?.trim() || "api.workos.com";
  const [host, port] = value.split(":") as [string, string | undefined];
  const https = !/^(localhost|127\.0\.0\.1)$/.test(host);
  return { origin: `${https ? "https" : "http"}://${value}`, host, ...(port ? { port: Number(port) } : {}), https };
}

/** AUTHKIT_DOMAIN → its origin: a bare host means https://; a full URL is used as given. */
export function authkitOrigin(domain: string): string {
  const value = domain.trim().replace(/\/+$/, "");
  return /^https?:\/\//.test(value) ? value : `https://${value}`;
}

export async function workosApi(opts: { apiKey: string; apiHostname?: string; net: NetConfig; fetch: FetchFn }): Promise<WorkosApi> {
  const { WorkOS: WorkOSClient } = await import("@workos-inc/node");
  const api = workosApiOrigin(opts.apiHostname);
  const workos: WorkOS = new WorkOSClient({
    apiKey: opts.apiKey,
    apiHostname: api.host,
    ...(api.port ? { port: api.port } : {}),
    https: api.https,
    fetchFn: opts.fetch as typeof fetch,
    timeout: opts.net.timeoutMs,
    maxRetries: opts.net.retries,
  });
  const http: HttpClient = { fetch: opts.fetch, config: opts.net };
  const step = <T>(name: string, call: () => Promise<T>) => sdkStep(name, new URL(api.origin).host, opts.net.timeoutMs, call);
  const auth = { authorization: `Bearer ${opts.apiKey}` };
  const gone = (error: unknown) => (error instanceof ApiCallError ? error.status === 404 : statusOf(error) === 404);
  const conflict = (error: unknown) => error instanceof ApiCallError && (error.status === 409 || error.status === 422) && /exist|conflict/i.test(error.detail);

  /** A plain REST call with the bounded retries; non-2xx answers become ApiCallError naming the step. */
  const rest = async (stepName: string, method: string, path: string, body?: unknown) => {
    const response = await requestJson(http, stepName, `${api.origin}${path}`, { method, headers: auth, ...(body === undefined ? {} : { body }) });
    if (response.status >= 400) {
      const message = (response.body as { message?: string } | null)?.message ?? "";
      throw new ApiCallError(stepName, `HTTP ${response.status}${message ? `: ${message}` : ""}`, response.status);
    }
    return response.body as Record<string, unknown> | null;
  };
  /** Every item of a cursor-paginated REST list. */
  const restList = async <T>(stepName: string, path: string): Promise<T[]> => {
    const items: T[] = [];
    let after: string | null = null;
    do {
      const body = (await rest(stepName, "GET", `${path}?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`)) as {
        data?: T[];
        list_metadata?: { after?: string | null };
      } | null;
      items.push(...(body?.data ?? []));
      after = body?.list_metadata?.after ?? null;
    } while (after);
    return items;
  };
  const deleteOr404 = async (stepName: string, call: () => Promise<unknown>): Promise<"deleted" | "gone"> => {
    try {
      await call();
      return "deleted";
    } catch (error) {
      if (gone(error)) return "gone";
      throw error;
    }
  };
  /** Find-or-create of a `{ id, uri }` resource the REST API lists at `kind.path` (found by its URI). */
  const ensureUriResource = async (ledger: Ledger, kind: UriResourceKind, uri: string): Promise<string> => {
    const { value } = await findOrCreate(ledger, {
      kind: kind.kind,
      name: uri,
      find: async () => (await restList<{ id: string; uri: string }>(`WorkOS: find ${kind.noun} ${uri}`, kind.path)).find((r) => r.uri === uri),
      create: async () => (await rest(`WorkOS: ${kind.create} ${uri}`, "POST", kind.path, { uri })) as { id: string; uri: string },
      idOf: (r) => r.id,
      isAlreadyExists: conflict,
    });
    return value.id;
  };
  const deleteUriResource = (kind: UriResourceKind, id: string, uri: string) => {
    const stepName = `WorkOS: delete ${kind.noun} ${uri}`;
    return deleteOr404(stepName, () => rest(stepName, "DELETE", `${kind.path}/${encodeURIComponent(id)}`));
  };
  const toInfo = (app: { id: string; clientId: string; redirectUris?: { uri: string }[] }): WorkosApplicationInfo => ({
    id: app.id,
    clientId: app.clientId,
    redirectUris: (app.redirectUris ?? []).map((r) => r.uri),
  });

  return {
    async ensureApplication(ledger, name, redirectUris) {
      const { value, action } = await findOrCreate(ledger, {
        kind: "workos.oauth_application",
        name,
        find: () =>
          step(`WorkOS: find OAuth application ${name}`, async () => {
            // Without `limit`, autoPagination walks every page (100 a page).
            const all = await (await workos.connect.listApplications()).autoPagination();
            const app = all.find((a) => a.name === name && a.applicationType === "oauth");
            return app ? toInfo(app as { id: string; clientId: string; redirectUris?: { uri: string }[] }) : undefined;
          }),
        create: () =>
          step(`WorkOS: create OAuth application ${name}`, async () =>
            toInfo(
              await workos.connect.createOAuthApplication(
                name,
                true,
                "MCP server made with create-mcp-auth: people sign in through it.",
                null,
                redirectUris.map((uri, i) => ({ uri, default: i === 0 })),
              ),
            ),
          ),
        idOf: (app) => app.id,
        details: (app) => ({ clientId: app.clientId }),
      });
      return { ...value, action };
    },

    findAgent: (name) =>
      step(`WorkOS: find agent application ${name}`, async () => {
        const all = await (await workos.connect.listApplications()).autoPagination();
        const app = all.find((a) => a.name === name && a.applicationType === "m2m");
        return app ? { id: app.id, clientId: app.clientId } : undefined;
      }),

    createAgent: (name, organizationId, scopes, description) =>
      step(`WorkOS: create agent application ${name}`, async () => {
        const app = await workos.connect.createM2MApplication(name, organizationId, description, scopes);
        return { id: app.id, clientId: app.clientId };
      }),

    application: (id, name) => step(`WorkOS: read OAuth application ${name}`, async () => toInfo(await workos.connect.getApplication({ id }))),

    async addRedirectUris(app, uris) {
      const missing = uris.filter((uri) => !app.redirectUris.includes(uri));
      if (missing.length === 0) return app.redirectUris;
      const all = [...app.redirectUris, ...missing];
      await step(`WorkOS: add redirect URI ${missing.join(", ")}`, () =>
        workos.connect.updateApplication({ id: app.id, redirectUris: all.map((uri, i) => ({ uri, default: i === 0 })) }),
      );
      app.redirectUris = all;
      return all;
    },

    removeRedirectUri: (appId, uri) =>
      deleteOr404(`WorkOS: remove redirect URI ${uri}`, async () => {
        const app = await step(`WorkOS: read OAuth application ${appId}`, () => workos.connect.getApplication({ id: appId }));
        const remaining = toInfo(app).redirectUris.filter((u) => u !== uri);
        await step(`WorkOS: remove redirect URI ${uri}`, () =>
          workos.connect.updateApplication({ id: appId, redirectUris: remaining.map((u, i) => ({ uri: u, default: i === 0 })) }),
        );
      }),

    createClientSecret: (appId, appName) =>
      step(`WorkOS: create a client secret for ${appName}`, async () => {
        const created = await workos.connect.createApplicationClientSecret({ id: appId });
        return { id: created.id, secret: created.secret };
      }),

    deleteApplication: (id, name) => deleteOr404(`WorkOS: delete OAuth application ${name}`, () => step(`WorkOS: delete OAuth application ${name}`, () => workos.connect.deleteApplication({ id }))),

    async ensurePermission(ledger, slug, description) {
      const { value } = await findOrCreate(ledger, {
        kind: "workos.permission",
        name: slug,
        find: async () => {
          try {
            return await step(`WorkOS: find permission ${slug}`, () => workos.authorization.getPermission(slug));
          } catch (error) {
            if (gone(error)) return undefined;
            throw error;
          }
        },
        create: () => step(`WorkOS: create permission ${slug}`, () => workos.authorization.createPermission({ slug, name: slug, description })),
        idOf: (p) => p.id,
        isAlreadyExists: conflict,
      });
      return value.id;
    },

    deletePermission: (slug) => deleteOr404(`WorkOS: delete permission ${slug}`, () => step(`WorkOS: delete permission ${slug}`, () => workos.authorization.deletePermission(slug))),

    async ensureRole(ledger, role) {
      const { value } = await findOrCreate(ledger, {
        kind: "workos.role",
        name: role.slug,
        find: async () => {
          try {
            return await step(`WorkOS: find role ${role.slug}`, () => workos.authorization.getEnvironmentRole(role.slug));
          } catch (error) {
            if (gone(error)) return undefined;
            throw error;
          }
        },
        create: () =>
          step(`WorkOS: create role ${role.slug}`, () =>
            workos.authorization.createEnvironmentRole({ slug: role.slug, name: role.name, description: role.description }),
          ),
        idOf: (r) => r.id,
        isAlreadyExists: conflict,
      });
      const missing = role.permissions.filter((p) => !(value.permissions ?? []).includes(p));
      if (missing.length > 0) {
        await step(`WorkOS: grant ${missing.join(", ")} to role ${role.slug}`, () =>
          workos.authorization.setEnvironmentRolePermissions(role.slug, { permissions: [...new Set([...(value.permissions ?? []), ...role.permissions])] }),
        );
      }
      return value.id;
    },

    deleteRole: (slug) => deleteOr404(`WorkOS: delete role ${slug}`, () => rest(`WorkOS: delete role ${slug}`, "DELETE", `/authorization/roles/${encodeURIComponent(slug)}`)),

    ensureEnvironmentRedirectUri: (ledger, uri) => ensureUriResource(ledger, REDIRECT_URIS, uri),
    deleteEnvironmentRedirectUri: (id, uri) => deleteUriResource(REDIRECT_URIS, id, uri),
    ensureOauthResource: (ledger, uri) => ensureUriResource(ledger, OAUTH_RESOURCES, uri),
    deleteOauthResource: (id, uri) => deleteUriResource(OAUTH_RESOURCES, id, uri),

    async dcrEnabled(authkitDomain) {
      const origin = authkitOrigin(authkitDomain);
      const response = await requestJson(http, `WorkOS: read AuthKit metadata at ${origin}`, `${origin}/.well-known/oauth-authorization-server`);
      if (response.status !== 200) throw new ApiCallError(`WorkOS: read AuthKit metadata at ${origin}`, `HTTP ${response.status}`, response.status);
      return typeof (response.body as { registration_endpoint?: unknown })?.registration_endpoint === "string";
    },
  };
}
