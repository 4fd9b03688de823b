import { UsageError } from "../errors.js";

/** Bounds for every network call: one timeout per attempt, a few retries of 429/5xx with backoff. */
export interface NetConfig {
  /** Per attempt, in milliseconds (CREATE_MCP_AUTH_HTTP_TIMEOUT_MS, default 30000). */
  timeoutMs: number;
  /** Retries after the first attempt (CREATE_MCP_AUTH_HTTP_RETRIES, default 3). */
  retries: number;
  /** First backoff delay; doubles per retry up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * One whole `wrangler deploy` (bundling, a dozen API calls, the upload), whose own calls have no timeout
   * (CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS, default 120 s + 10 × timeoutMs).
   */
  deployTimeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 3;

function integerFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${name} must be a whole number ≥ ${min} (got "${raw}").`);
  }
  return value;
}

export function netConfigFrom(env: NodeJS.ProcessEnv): NetConfig {
  const timeoutMs = integerFrom(env, "CREATE_MCP_AUTH_HTTP_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 1);
  const retries = integerFrom(env, "CREATE_MCP_AUTH_HTTP_RETRIES", DEFAULT_RETRIES, 0);
  // Short timeouts (tests, impatient CI) get short backoffs too, so the whole call stays bounded by roughly
  // (retries + 1) × timeout.
  const maxDelayMs = Math.min(8_000, Math.max(50, Math.floor(timeoutMs / 2)));
  const deployTimeoutMs = integerFrom(env, "CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS", 120_000 + 10 * timeoutMs, 1_000);
  return { timeoutMs, retries, baseDelayMs: Math.min(500, maxDelayMs), maxDelayMs, deployTimeoutMs };
}

/** Delay before retry number `retry` (1-based): exponential with up to 25% jitter, or what Retry-After asks, capped. */
export function backoffDelay(retry: number, config: NetConfig, retryAfterMs: number | null = null, random = Math.random): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.min(retryAfterMs, config.maxDelayMs);
  const exponential = Math.min(config.baseDelayMs * 2 ** (retry - 1), config.maxDelayMs);
  return Math.round(exponential * (1 - random() * 0.25));
}

/** Retry-After as milliseconds (seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
