import { backoffDelay, parseRetryAfter, type NetConfig } from "./config.js";
import type { FetchFn } from "./fetch.js";
import { redact } from "./redact.js";

/** A call that failed for good: names the step, what the API said, and how many attempts were made. */
export class ApiCallError extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
    readonly status: number | null,
  ) {
    super(redact(`${step}: ${detail}`));
    this.name = "ApiCallError";
  }
}

export interface HttpClient {
  fetch: FetchFn;
  config: NetConfig;
  sleep?: (ms: number) => Promise<void>;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * One HTTP call with a timeout per attempt and retries (429, 5xx, network errors, timeouts) with backoff, honouring
 * Retry-After. Other statuses are returned for the caller to judge; exhausted retries throw ApiCallError naming `step`.
 */
export async function requestJson(
  client: HttpClient,
  step: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<JsonResponse> {
  const { config } = client;
  const sleep = client.sleep ?? sleepFor;
  let lastDetail = "";
  let lastStatus: number | null = null;
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    let retryAfterMs: number | null = null;
    try {
      const response = await client.fetch(url, {
        method: init.method ?? "GET",
        headers: {
          accept: "application/json",
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      if (!isRetryableStatus(response.status)) return { status: response.status, body };
      lastStatus = response.status;
      lastDetail = `HTTP ${response.status}${describeBody(body)}`;
      retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    } catch (error) {
      lastStatus = null;
      lastDetail = describeNetworkError(error, config.timeoutMs, new URL(url).host);
    }
    if (attempt < config.retries) await sleep(backoffDelay(attempt + 1, config, retryAfterMs));
  }
  const attempts = config.retries + 1;
  throw new ApiCallError(step, `${lastDetail} (${attempts} attempt${attempts === 1 ? "" : "s"})`, lastStatus);
}

export function describeBody(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const errors = Array.isArray(b.errors) ? b.errors.map((e) => (e as { message?: string }).message).filter(Boolean) : [];
    const message = errors[0] ?? b.message ?? b.error_description ?? b.error;
    if (typeof message === "string" && message) return `: ${message.slice(0, 300)}`;
  }
  return "";
}

/** What a connection failure's code means, in words. */
const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
};

/** The code of the failure at the bottom of an error's cause chain (fetch and the SDKs wrap it once or twice). */
function connectionFailureCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    if (typeof current.code === "string" && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(current.code)) return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

const isTimeout = (error: unknown) => {
  const e = error as { name?: string; message?: string };
  return /Timeout|AbortError/.test(e?.name ?? "") || /timed? ?out/i.test(e?.message ?? "");
};

/** A network failure as a phrase naming the host, e.g. "cannot connect to api.cloudflare.com (connection refused)". */
export function describeNetworkError(error: unknown, timeoutMs: number, host: string): string {
  if (isTimeout(error)) return `no answer from ${host} within ${timeoutMs} ms`;
  const code = connectionFailureCode(error);
  return `cannot connect to ${host}${code ? ` (${CONNECTION_FAILURES[code] ?? code})` : ""}`;
}

/** Wraps an SDK call (which retries by itself, with our bounds): any failure becomes an ApiCallError naming the step. */
export async function sdkStep<T>(step: string, host: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ApiCallError(step, describeSdkError(error, timeoutMs, host), statusOf(error));
  }
}

export function statusOf(error: unknown): number | null {
  const e = error as { status?: unknown; response?: { status?: unknown } };
  if (typeof e?.status === "number") return e.status;
  if (typeof e?.response?.status === "number") return e.response.status;
  return null;
}

/** The SDKs' network failures ("Connection error.", "Unexpected error: TypeError: fetch failed") carry the real one as a cause. */
const isNetworkFailure = (error: unknown) =>
  connectionFailureCode(error) !== undefined || /Connection|fetch failed/i.test(`${(error as Error)?.name} ${(error as Error)?.message}`);

export function describeSdkError(error: unknown, timeoutMs: number, host: string): string {
  const e = error as { message?: string; errors?: { message?: string }[]; response?: { data?: unknown } };
  if (isTimeout(error)) return describeNetworkError(error, timeoutMs, host);
  const status = statusOf(error);
  if (status !== null) {
    const fromBody = e.errors?.[0]?.message ?? describeBody(e.response?.data).replace(/^: /, "");
    return `HTTP ${status}${fromBody ? `: ${fromBody}` : e.message ? `: ${e.message}` : ""}`;
  }
  if (isNetworkFailure(error)) return describeNetworkError(error, timeoutMs, host);
  return e?.message ?? String(error);
}
