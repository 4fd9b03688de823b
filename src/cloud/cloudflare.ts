import type Cloudflare from "cloudflare";
import type { NetConfig } from "../net/config.js";
import type { FetchFn } from "../net/fetch.js";
import { ApiCallError, sdkStep, statusOf } from "../net/http.js";
import { findOrCreate, type Ledger } from "./find-or-create.js";

/** The Cloudflare calls provisioning, deploy and destroy make, through the `cloudflare` SDK (imported only here, lazily). */
export interface CloudflareApi {
  accounts(): Promise<{ id: string; name: string }[]>;
  ensureKvNamespace(ledger: Ledger, accountId: string, title: string, binding: string): Promise<string>;
  deleteKvNamespace(accountId: string, id: string, title: string): Promise<"deleted" | "gone">;
  workerExists(accountId: string, name: string): Promise<boolean>;
  putSecret(accountId: string, worker: string, name: string, value: string): Promise<void>;
  deleteWorker(accountId: string, name: string): Promise<"deleted" | "gone">;
  workersDevSubdomain(accountId: string): Promise<string | null>;
}

export async function cloudflareApi(opts: { apiToken: string; baseURL?: string; net: NetConfig; fetch: FetchFn }): Promise<CloudflareApi> {
  const { default: CloudflareClient } = await import("cloudflare");
  const client: Cloudflare = new CloudflareClient({
    apiToken: opts.apiToken,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    timeout: opts.net.timeoutMs,
    maxRetries: opts.net.retries,
    fetch: opts.fetch as never,
  });
  const host = new URL(opts.baseURL ?? "https://api.cloudflare.com").host;
  const step = <T>(name: string, call: () => Promise<T>) => sdkStep(name, host, opts.net.timeoutMs, call);
  const notFound = (error: unknown) => error instanceof ApiCallError && error.status === 404;

  return {
    accounts: () =>
      step("Cloudflare: list accounts", async () => {
        const out: { id: string; name: string }[] = [];
        for await (const account of client.accounts.list({ per_page: 50 })) out.push({ id: account.id, name: account.name });
        return out;
      }),

    async ensureKvNamespace(ledger, accountId, title, binding) {
      const find = () =>
        step(`Cloudflare: find KV namespace ${title}`, async () => {
          for await (const namespace of client.kv.namespaces.list({ account_id: accountId, per_page: 100 })) {
            if (namespace.title === title) return namespace;
          }
          return undefined;
        });
      const { value } = await findOrCreate(ledger, {
        kind: "cloudflare.kv_namespace",
        name: title,
        find,
        create: () => step(`Cloudflare: create KV namespace ${title}`, () => client.kv.namespaces.create({ account_id: accountId, title })),
        idOf: (ns) => ns.id,
        details: () => ({ binding }),
        // 10014: "a namespace with this account ID and title already exists"
        isAlreadyExists: (error) => error instanceof ApiCallError && error.status === 400 && /already exists|10014/.test(error.detail),
      });
      return value.id;
    },

    async deleteKvNamespace(accountId, id, title) {
      try {
        await step(`Cloudflare: delete KV namespace ${title}`, () => client.kv.namespaces.delete(id, { account_id: accountId }));
        return "deleted";
      } catch (error) {
        if (notFound(error)) return "gone";
        throw error;
      }
    },

    async workerExists(accountId, name) {
      try {
        await step(`Cloudflare: look up Worker ${name}`, async () => {
          for await (const _secret of client.workers.scripts.secrets.list(name, { account_id: accountId })) break;
        });
        return true;
      } catch (error) {
        if (notFound(error)) return false;
        throw error;
      }
    },

    async putSecret(accountId, worker, name, value) {
      await step(`Cloudflare: set secret ${name} of Worker ${worker}`, () =>
        client.workers.scripts.secrets.update(worker, { account_id: accountId, name, text: value, type: "secret_text" }),
      );
    },

    async deleteWorker(accountId, name) {
      try {
        await step(`Cloudflare: delete Worker ${name}`, () => client.workers.scripts.delete(name, { account_id: accountId }));
        return "deleted";
      } catch (error) {
        if (notFound(error)) return "gone";
        throw error;
      }
    },

    async workersDevSubdomain(accountId) {
      try {
        const result = await step("Cloudflare: read the workers.dev subdomain", () => client.workers.subdomains.get({ account_id: accountId }));
        return result.subdomain ?? null;
      } catch (error) {
        if (statusOf(error) === 404 || notFound(error)) return null;
        throw error;
      }
    },
  };
}
