/**
 * The one fetch every provisioning and deploy call uses: undici's fetch with an `EnvHttpProxyAgent`, so HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY (and their lower-case forms) are honoured — Node's global fetch ignores them. undici is
 * imported lazily: a plain scaffold never loads it.
 */
export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

let cached: FetchFn | undefined;

export async function proxyAwareFetch(): Promise<FetchFn> {
  if (cached) return cached;
  const undici = await import("undici");
  const dispatcher = new undici.EnvHttpProxyAgent();
  cached = ((input, init) =>
    undici.fetch(input as Parameters<typeof undici.fetch>[0], {
      ...(init as Parameters<typeof undici.fetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>) as FetchFn;
  return cached;
}
