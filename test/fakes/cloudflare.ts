import { randomBytes, randomUUID } from "node:crypto";
import { HttpFake, json, type FakeRequest, type FakeResponse } from "./http-fake.js";

/**
 * A local stand-in for the Cloudflare API v4 (https://api.cloudflare.com/client/v4), as much of it as the `cloudflare` SDK
 * and `wrangler deploy` use for a Worker with KV namespaces, Durable Objects and secrets: v4 envelopes
 * `{ success, errors, messages, result, result_info }`, page/per_page pagination, the real error codes (duplicate KV title
 * 10014, Worker not found 10007 / 10090) and the real strictness: no secret for a Worker that does not exist yet, no binding
 * to a KV namespace that does not exist. Point the SDK's `baseURL` and wrangler's CLOUDFLARE_API_BASE_URL at `apiBase`.
 */

export interface FakeAccount {
  id: string;
  name: string;
}

export interface FakeKvNamespace {
  id: string;
  title: string;
  accountId: string;
}

export interface FakeWorker {
  name: string;
  accountId: string;
  /** Secret name → value (the fake keeps values so tests can check what was uploaded). */
  secrets: Map<string, string>;
  /** Bindings of the last upload, as wrangler sent them in the metadata part. */
  bindings: { type: string; name: string; [key: string]: unknown }[];
  /** Plain-text vars of the last upload. */
  vars: Record<string, string>;
  deployments: number;
  workersDev: boolean;
  /** The code of the deployed version, as uploaded: what test/fakes/workers-edge.ts runs. */
  script: UploadedScript;
}

/** A Worker upload's code and runtime settings (the multipart's metadata and module parts). */
export interface UploadedScript {
  mainModule: string;
  compatibilityDate?: string;
  compatibilityFlags: string[];
  modules: { name: string; contentType: string; contents: Uint8Array }[];
}

export interface CloudflareFake {
  /** http://127.0.0.1:<port> */
  url: string;
  /** CLOUDFLARE_API_BASE_URL value: `<url>/client/v4`. */
  apiBase: string;
  /** The CLOUDFLARE_API_TOKEN the API accepts. */
  apiToken: string;
  accounts: FakeAccount[];
  /** The workers.dev subdomain of every account (`<worker>.<subdomain>.workers.dev`). */
  subdomain: string;
  kvNamespaces: Map<string, FakeKvNamespace>;
  /** By `<accountId>/<name>`. */
  workers: Map<string, FakeWorker>;
  /** Everything the API holds, to compare before and after (ids and titles only). */
  snapshot(): { kvNamespaces: string[]; workers: string[]; secrets: string[] };
  http: HttpFake;
  close(): Promise<void>;
}

const API = "/client/v4";

const envelope = (result: unknown, resultInfo?: Record<string, number>) => ({
  success: true,
  errors: [],
  messages: [],
  result,
  ...(resultInfo ? { result_info: resultInfo } : {}),
});

const failure = (status: number, code: number, message: string): FakeResponse =>
  json(status, { success: false, errors: [{ code, message }], messages: [], result: null });

type Binding = { type: string; name: string; [key: string]: unknown };

const scriptResult = (name: string) => ({
  id: name,
  etag: randomBytes(8).toString("hex"),
  handlers: ["fetch"],
  modified_on: new Date().toISOString(),
  created_on: new Date().toISOString(),
  usage_model: "standard",
  compatibility_date: "2026-10-01",
  startup_time_ms: 3,
  has_modules: true,
  deployment_id: randomUUID(),
});

const workerNotFound = () => failure(404, 10007, "This Worker does not exist on your account.");

/** page/per_page over a list, with v4 result_info. */
function paginate<T>(req: FakeRequest, items: T[], defaultPerPage: number, maxPerPage: number) {
  const page = Math.max(1, Number(req.url.searchParams.get("page") ?? 1) || 1);
  const perPage = Math.min(maxPerPage, Math.max(1, Number(req.url.searchParams.get("per_page") ?? defaultPerPage) || defaultPerPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return json(
    200,
    envelope(slice, { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) }),
  );
}

export async function startCloudflareFake(options: { accounts?: FakeAccount[]; subdomain?: string } = {}): Promise<CloudflareFake> {
  const apiToken = `cf_${randomBytes(16).toString("hex")}`;
  const accounts = options.accounts ?? [{ id: randomBytes(16).toString("hex"), name: "Ada's Account" }];
  const subdomain = options.subdomain ?? "ada-example";
  const kvNamespaces = new Map<string, FakeKvNamespace>();
  const workers = new Map<string, FakeWorker>();

  /** Wraps a route: checks the bearer token and the account, as the real API does first. */
  const authed =
    (route: (req: FakeRequest, accountId: string, parts: string[]) => FakeResponse | Promise<FakeResponse>) =>
    (req: FakeRequest): FakeResponse | Promise<FakeResponse> => {
      if (req.headers.authorization !== `Bearer ${apiToken}`) return failure(400, 6003, "Invalid request headers");
      const parts = req.url.pathname.slice(API.length).split("/").filter(Boolean).map(decodeURIComponent);
      const accountId = parts[0] === "accounts" ? (parts[1] ?? "") : "";
      if (parts[0] === "accounts" && parts.length > 1 && !accounts.some((a) => a.id === accountId)) {
        return failure(403, 9109, "Unauthorized to access requested resource");
      }
      return route(req, accountId, parts);
    };

  const workerOf = (accountId: string, name: string) => workers.get(`${accountId}/${name}`);

  /** The script upload wrangler sends: multipart with a JSON "metadata" part (bindings, main module) and the modules. */
  const parseUpload = async (req: FakeRequest, accountId: string, name: string): Promise<FakeResponse | { bindings: Binding[]; script: UploadedScript }> => {
    const form = await new Response(new Uint8Array(req.raw), { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
    const metadataPart = form.get("metadata");
    if (metadataPart === null) return failure(400, 10021, "Missing metadata part.");
    const metadata = JSON.parse(typeof metadataPart === "string" ? metadataPart : await metadataPart.text()) as {
      main_module?: string;
      bindings?: Binding[];
      compatibility_date?: string;
      compatibility_flags?: string[];
    };
    if (!metadata.main_module || form.get(metadata.main_module) === null) return failure(400, 10021, "No such module: main_module.");
    const existing = workerOf(accountId, name);
    const bindings = metadata.bindings ?? [];
    for (const binding of bindings) {
      if (binding.type === "kv_namespace" && !kvNamespaces.has(String(binding.namespace_id ?? ""))) {
        return failure(400, 10041, `KV namespace '${String(binding.namespace_id)}' is not valid. [code: 10041]`);
      }
      if (binding.type === "inherit" && !existing?.secrets.has(binding.name)) {
        return failure(400, 10056, `binding ${binding.name}: inherit binding '${binding.name}' is invalid`);
      }
    }
    const modules: UploadedScript["modules"] = [];
    for (const [partName, part] of form.entries()) {
      if (partName === "metadata" || typeof part === "string") continue;
      modules.push({ name: partName, contentType: part.type, contents: new Uint8Array(await part.arrayBuffer()) });
    }
    const script: UploadedScript = {
      mainModule: metadata.main_module,
      ...(metadata.compatibility_date ? { compatibilityDate: metadata.compatibility_date } : {}),
      compatibilityFlags: metadata.compatibility_flags ?? [],
      modules,
    };
    return { bindings, script };
  };

  const applyBindings = (accountId: string, name: string, bindings: Binding[], script: UploadedScript): FakeWorker => {
    const worker: FakeWorker = workerOf(accountId, name) ?? { name, accountId, secrets: new Map(), bindings: [], vars: {}, deployments: 0, workersDev: false, script };
    worker.script = script;
    for (const binding of bindings) {
      if (binding.type === "secret_text") worker.secrets.set(binding.name, String(binding.text ?? ""));
    }
    worker.bindings = bindings.filter((b) => b.type !== "secret_text" && b.type !== "inherit").map((b) => ({ ...b }));
    worker.vars = Object.fromEntries(bindings.filter((b) => b.type === "plain_text").map((b) => [b.name, String(b.text ?? "")]));
    worker.deployments += 1;
    workers.set(`${accountId}/${name}`, worker);
    return worker;
  };

  const uploadScript = async (req: FakeRequest, accountId: string, name: string): Promise<FakeResponse> => {
    const parsed = await parseUpload(req, accountId, name);
    if (!("bindings" in parsed)) return parsed;
    applyBindings(accountId, name, parsed.bindings, parsed.script);
    return json(200, envelope(scriptResult(name)));
  };

  /** Versions API (an existing Worker without Durable Object migrations): upload a version, then deploy it. */
  const versions = new Map<string, { accountId: string; name: string; bindings: Binding[]; script: UploadedScript }>();
  const uploadVersion = async (req: FakeRequest, accountId: string, name: string): Promise<FakeResponse> => {
    if (!workerOf(accountId, name)) return workerNotFound();
    const parsed = await parseUpload(req, accountId, name);
    if (!("bindings" in parsed)) return parsed;
    const id = randomUUID();
    versions.set(id, { accountId, name, bindings: parsed.bindings, script: parsed.script });
    return json(200, envelope({ id, number: versions.size, metadata: { source: "wrangler" }, startup_time_ms: 3, resources: { script: { etag: randomBytes(8).toString("hex"), handlers: ["fetch"] }, bindings: parsed.bindings.filter((b) => b.type !== "secret_text") } }));
  };
  const deployVersion = (req: FakeRequest, accountId: string, name: string): FakeResponse => {
    if (!workerOf(accountId, name)) return workerNotFound();
    const chosen = (req.body.versions as { version_id: string; percentage: number }[] | undefined) ?? [];
    const version = versions.get(chosen[0]?.version_id ?? "");
    if (!version || version.name !== name) return failure(400, 10200, "Unknown version.");
    applyBindings(accountId, name, version.bindings, version.script);
    return json(200, envelope({ id: randomUUID(), created_on: new Date().toISOString(), source: "wrangler", strategy: "percentage", versions: chosen }));
  };

  const http = new HttpFake([
    ["GET", /^\/client\/v4\/user\/tokens\/verify$/, authed(() => json(200, envelope({ id: "token", status: "active" })))],
    ["GET", /^\/client\/v4\/accounts$/, authed((req) => paginate(req, accounts.map((a) => ({ id: a.id, name: a.name, type: "standard", settings: {} })), 20, 50))],
    [
      "GET",
      /^\/client\/v4\/memberships$/,
      authed((req) => paginate(req, accounts.map((a) => ({ id: `m-${a.id}`, account: { id: a.id, name: a.name }, status: "accepted" })), 20, 50)),
    ],

    // KV namespaces
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces$/,
      authed((req, accountId) =>
        paginate(req, [...kvNamespaces.values()].filter((n) => n.accountId === accountId).map((n) => ({ id: n.id, title: n.title, supports_url_encoding: true })), 20, 1000),
      ),
    ],
    [
      "POST",
      /^\/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces$/,
      authed((req, accountId) => {
        const title = req.body.title;
        if (typeof title !== "string" || title.trim() === "") return failure(400, 10019, "title is required");
        if ([...kvNamespaces.values()].some((n) => n.accountId === accountId && n.title === title)) {
          return failure(400, 10014, "a namespace with this account ID and title already exists");
        }
        const namespace = { id: randomBytes(16).toString("hex"), title, accountId };
        kvNamespaces.set(namespace.id, namespace);
        return json(200, envelope({ id: namespace.id, title, supports_url_encoding: true }));
      }),
    ],
    [
      "DELETE",
      /^\/client\/v4\/accounts\/[^/]+\/storage\/kv\/namespaces\/[^/]+$/,
      authed((_req, accountId, parts) => {
        const namespace = kvNamespaces.get(parts[5]!);
        if (!namespace || namespace.accountId !== accountId) return failure(404, 10013, "namespace not found");
        kvNamespaces.delete(namespace.id);
        return json(200, envelope(null));
      }),
    ],

    // Workers
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/subdomain$/,
      authed(() => json(200, envelope({ subdomain }))),
    ],
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/services\/[^/]+$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return failure(404, 10090, "This Worker does not exist on your account.");
        return json(
          200,
          envelope({
            id: worker.name,
            default_environment: { environment: "production", script: { id: worker.name, tag: `tag-${worker.name}`, tags: [], last_deployed_from: "wrangler" } },
          }),
        );
      }),
    ],
    [
      "PUT",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/,
      authed((req, accountId, parts) => uploadScript(req, accountId, parts[4]!)),
    ],
    [
      "DELETE",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+$/,
      authed((_req, accountId, parts) => {
        if (!workers.delete(`${accountId}/${parts[4]}`)) return workerNotFound();
        return json(200, envelope(null));
      }),
    ],
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/secrets$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        return json(200, envelope([...worker.secrets.keys()].map((name) => ({ name, type: "secret_text" }))));
      }),
    ],
    [
      "PUT",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/secrets$/,
      authed((req, accountId, parts) => {
        // The real API has no Worker to hold a secret before the first deploy.
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        const { name, text, type } = req.body as { name?: string; text?: string; type?: string };
        if (!name || typeof text !== "string" || type !== "secret_text") return failure(400, 10021, "name, text and type secret_text are required");
        worker.secrets.set(name, text);
        return json(200, envelope({ name, type }));
      }),
    ],
    [
      "DELETE",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/secrets\/[^/]+$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        if (!worker.secrets.delete(parts[6]!)) return failure(404, 10056, "Secret not found");
        return json(200, envelope(null));
      }),
    ],
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/subdomain$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        return json(200, envelope({ enabled: worker.workersDev, previews_enabled: false }));
      }),
    ],
    [
      "POST",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/subdomain$/,
      authed((req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        worker.workersDev = req.body.enabled !== false;
        return json(200, envelope({ enabled: worker.workersDev, previews_enabled: false }));
      }),
    ],
    [
      "POST",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/versions$/,
      authed((req, accountId, parts) => uploadVersion(req, accountId, parts[4]!)),
    ],
    [
      "POST",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/deployments$/,
      authed((req, accountId, parts) => deployVersion(req, accountId, parts[4]!)),
    ],
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/settings$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        return json(200, envelope({ logpush: false, observability: { enabled: true }, tail_consumers: [], tags: [], bindings: worker.bindings }));
      }),
    ],
    [
      "PATCH",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/script-settings$/,
      authed((req, accountId, parts) => {
        if (!workerOf(accountId, parts[4]!)) return workerNotFound();
        return json(200, envelope({ logpush: false, tail_consumers: [], observability: { enabled: true }, ...req.body }));
      }),
    ],
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/workers\/[^/]+$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        return json(200, envelope({ id: worker.name, name: worker.name, subdomain: { enabled: worker.workersDev, previews_enabled: false } }));
      }),
    ],
    [
      "GET",
      /^\/client\/v4\/accounts\/[^/]+\/workers\/scripts\/[^/]+\/deployments$/,
      authed((_req, accountId, parts) => {
        const worker = workerOf(accountId, parts[4]!);
        if (!worker) return workerNotFound();
        return json(200, envelope({ deployments: [] }));
      }),
    ],
  ]);
  await http.start();

  return {
    url: http.url,
    apiBase: `${http.url}${API}`,
    apiToken,
    accounts,
    subdomain,
    kvNamespaces,
    workers,
    http,
    snapshot: () => ({
      kvNamespaces: [...kvNamespaces.values()].map((n) => `${n.accountId}/${n.title}`).sort(),
      workers: [...workers.keys()].sort(),
      secrets: [...workers.values()].flatMap((w) => [...w.secrets.keys()].map((s) => `${w.name}/${s}`)).sort(),
    }),
    close: () => http.close(),
  };
}
