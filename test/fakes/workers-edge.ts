import { createRequire } from "node:module";
import path from "node:path";
import type { FakeWorker } from "./cloudflare.js";

/**
 * What Cloudflare's edge does for a Worker deployed to the stand-in, done locally: the code wrangler uploaded runs in
 * Miniflare (workerd, loaded from the generated project's own wrangler) with the bindings it was deployed with, and answers
 * for its workers.dev origin. Requests reach it with their https://<worker>.<subdomain>.workers.dev URL and a
 * `cf-connecting-ip`, as on Cloudflare. Nothing resolves *.workers.dev here, so `install()` routes the process's `fetch`
 * for that one origin to the Worker (a hosts-file entry, in effect); everything else goes out as before.
 */
export interface DeployedWorker {
  origin: string;
  fetch: typeof fetch;
  /** Routes global `fetch` calls for `origin` here until `close()`. */
  install(): void;
  close(): Promise<void>;
}

/** The part of Miniflare's API used here (the CLI does not depend on it; generated Workers projects have it via wrangler). */
interface MiniflareInstance {
  ready: Promise<URL>;
  dispatchFetch(url: string, init: Record<string, unknown>): Promise<Response>;
  dispose(): Promise<void>;
}

/** Where Cloudflare says a request came from (a documentation address: not loopback, so the Worker trusts its host). */
const EDGE_CLIENT_IP = "203.0.113.7";

/** The upload's part types → Miniflare's manifest module types (source maps are not code). */
const MODULE_TYPES: Record<string, string> = {
  "application/javascript+module": "esm",
  "application/javascript": "cjs",
  "text/plain": "text",
  "application/octet-stream": "data",
  "application/wasm": "wasm",
  "application/json": "json",
};

export async function serveDeployedWorker(worker: FakeWorker, origin: string, projectDir: string): Promise<DeployedWorker> {
  const require = createRequire(path.join(projectDir, "package.json"));
  const { Miniflare } = require("miniflare") as { Miniflare: new (options: Record<string, unknown>) => MiniflareInstance };
  const { script } = worker;
  const typeOf = (contentType: string) => MODULE_TYPES[contentType.split(";")[0]!.trim()];
  const modules = Object.fromEntries(script.modules.filter((m) => typeOf(m.contentType)).map((m) => [m.name, { type: typeOf(m.contentType), contents: m.contents }]));
  const of = (type: string) => worker.bindings.filter((b) => b.type === type);
  const durableObjects = of("durable_object_namespace");
  const text = (value: string) => ({ type: "text", value });
  const mf = new Miniflare({
    workers: [
      {
        config: {
          name: worker.name,
          compatibilityDate: script.compatibilityDate ?? "2025-01-01",
          compatibilityFlags: script.compatibilityFlags,
          manifest: { mainModule: script.mainModule, modules },
          env: {
            ...Object.fromEntries(Object.entries(worker.vars).map(([name, value]) => [name, text(value)])),
            ...Object.fromEntries([...worker.secrets].map(([name, value]) => [name, text(value)])),
            ...Object.fromEntries(of("kv_namespace").map((b) => [b.name, { type: "kv", id: String(b.namespace_id) }])),
            ...Object.fromEntries(durableObjects.map((b) => [b.name, { type: "durable-object", worker: worker.name, exportName: String(b.class_name) }])),
          },
          exports: Object.fromEntries(durableObjects.map((b) => [String(b.class_name), { type: "durable-object", storage: "sqlite" }])),
        },
      },
    ],
  });
  await mf.ready;

  const outside = globalThis.fetch;
  const edgeFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== origin) return outside(input, init);
    const headers = new Headers(request.headers);
    headers.set("cf-connecting-ip", EDGE_CLIENT_IP);
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const answer = await mf.dispatchFetch(request.url, { method: request.method, headers: Object.fromEntries(headers), body, redirect: "manual" });
    const out = new Headers();
    answer.headers.forEach((value, name) => {
      if (name !== "set-cookie") out.append(name, value);
    });
    for (const cookie of answer.headers.getSetCookie()) out.append("set-cookie", cookie);
    const payload = [101, 204, 304].includes(answer.status) ? null : new Uint8Array(await answer.arrayBuffer());
    return new Response(payload, { status: answer.status, headers: out });
  };

  return {
    origin,
    fetch: edgeFetch,
    install() {
      globalThis.fetch = edgeFetch;
    },
    async close() {
      if (globalThis.fetch === edgeFetch) globalThis.fetch = outside;
      await mf.dispose();
    },
  };
}
