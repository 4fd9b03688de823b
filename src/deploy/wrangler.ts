import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { execa } from "execa";
import { catalog } from "../catalog/index.js";
import { StepError } from "../errors.js";
import { onInterrupt } from "../interrupt.js";
import { backoffDelay, type NetConfig } from "../net/config.js";
import { ApiCallError } from "../net/http.js";
import { redact } from "../net/redact.js";
import { childEnv } from "../steps/child-env.js";

export interface WranglerDeployOptions {
  projectDir: string;
  accountId: string;
  apiToken: string;
  /** CLOUDFLARE_API_BASE_URL, when the API is redirected (staging, tests). */
  baseURL?: string;
  /** Secrets uploaded with the deploy (a new Worker has nowhere to hold them before). */
  secrets?: Record<string, string>;
  env: NodeJS.ProcessEnv;
  /** The bounds every network call has: a failed `wrangler deploy` is rerun `retries` times when transient. */
  net: NetConfig;
  sleep?: (ms: number) => Promise<void>;
}

/** How one `wrangler deploy` ended, read from its exit code and machine-readable output. */
export type WranglerOutcome =
  | { ok: true; url: string | null }
  | {
      ok: false;
      /** A 429, a Cloudflare API answer without an error code (a bare 5xx, a gateway page), a network error: worth a rerun. */
      transient: boolean;
      /** The Cloudflare API path wrangler's failing call went to, when it was an API call. */
      apiPath: string | null;
      retryAfterMs: number | null;
      message: string;
    };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `wrangler deploy` from the project's own node_modules, for the chosen account; the deployed URL comes from wrangler's
 * machine-readable output (WRANGLER_OUTPUT_FILE_PATH, NDJSON). Secrets go in a temporary file outside the project, readable
 * by us only, removed right after (also on Ctrl-C and SIGTERM).
 *
 * wrangler retries only some of its own API calls (and a 429 on the others fails the whole command), so a run that failed
 * on a transient API error is run again, up to CREATE_MCP_AUTH_HTTP_RETRIES times with backoff (honouring Retry-After).
 * Rerunning is safe: a deploy uploads the whole Worker, and secrets ride with the upload.
 */
export async function wranglerDeploy(options: WranglerDeployOptions): Promise<{ url: string | null }> {
  const wrangler = path.join(options.projectDir, "node_modules", ".bin", process.platform === "win32" ? "wrangler.cmd" : "wrangler");
  if (!fs.existsSync(wrangler)) {
    throw new StepError("wrangler is not installed in the project: run `npm install` there (or create without --no-install), then `create-mcp-auth deploy`.", "deploy_failed");
  }
  const sleep = options.sleep ?? sleepFor;
  const { net } = options;
  for (let attempt = 0; ; attempt++) {
    const outcome = await runOnce(wrangler, options);
    if (outcome.ok) return { url: outcome.url };
    const attempts = attempt + 1;
    if (!outcome.transient || attempt >= net.retries) {
      if (outcome.apiPath !== null || outcome.transient) {
        const step = `wrangler deploy${outcome.apiPath ? ` (Cloudflare API ${outcome.apiPath})` : ""}`;
        throw new ApiCallError(step, `${outcome.message} (${attempts} attempt${attempts === 1 ? "" : "s"})`, null);
      }
      throw new StepError(redact(`\`wrangler deploy\` failed: ${outcome.message}`), "deploy_failed");
    }
    await sleep(backoffDelay(attempts, net, outcome.retryAfterMs));
  }
}

async function runOnce(wrangler: string, options: WranglerDeployOptions): Promise<WranglerOutcome> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "create-mcp-auth-deploy-"));
  const removeScratch = () => fs.rmSync(scratch, { recursive: true, force: true });
  const forget = onInterrupt(removeScratch); // the secrets file goes on Ctrl-C and SIGTERM too
  const outputFile = path.join(scratch, "wrangler-output.ndjson");
  const args = ["deploy"];
  try {
    if (options.secrets && Object.keys(options.secrets).length > 0) {
      const secretsFile = path.join(scratch, "secrets.json");
      fs.writeFileSync(secretsFile, JSON.stringify(options.secrets), { mode: 0o600 });
      args.push("--secrets-file", secretsFile);
    }
    const timeoutMs = options.net.deployTimeoutMs;
    const result = await execa(wrangler, args, {
      cwd: options.projectDir,
      reject: false,
      all: true,
      stdin: "ignore",
      timeout: timeoutMs,
      forceKillAfterDelay: 5_000,
      // wrangler gets the Cloudflare token and no other credential; the Worker's secrets go in the file above.
      extendEnv: false,
      env: childEnv(catalog, options.env, {
        CLOUDFLARE_API_TOKEN: options.apiToken,
        CLOUDFLARE_ACCOUNT_ID: options.accountId,
        ...(options.baseURL ? { CLOUDFLARE_API_BASE_URL: options.baseURL } : {}),
        WRANGLER_OUTPUT_FILE_PATH: outputFile,
        // create-mcp-auth sends no telemetry, and neither does the wrangler it runs, unless the person opted in.
        WRANGLER_SEND_METRICS: options.env.WRANGLER_SEND_METRICS ?? "false",
        // wrangler must not stop to ask: we are its non-interactive caller.
        CI: "true",
      }),
    });
    if (result.timedOut) {
      // Not rerun: the bound is for the whole deploy, and wrangler's own calls have none.
      throw new ApiCallError("wrangler deploy", `it had not finished after ${timeoutMs} ms and was stopped (CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS sets this bound)`, null);
    }
    return classifyWranglerRun(result.exitCode ?? 1, readNdjson(outputFile), result.all ?? "");
  } finally {
    forget();
    removeScratch();
  }
}

const API_FAILURE = /A request to the Cloudflare API \(([^)]+)\) failed/;
const SERVER_SIDE_FAILURE = /internal (server )?error|unknown error|temporarily unavailable|service unavailable|try again later/i;
const NETWORK_FAILURE = /fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|socket hang up|TimeoutError|other side closed/i;

/** Reads how a `wrangler deploy` ended (pure, for tests): its URL, or why it failed and whether a rerun may help. */
export function classifyWranglerRun(exitCode: number, entries: Record<string, unknown>[], output: string): WranglerOutcome {
  if (exitCode === 0) {
    const deploy = entries.findLast((e) => e.type === "deploy");
    const targets = (Array.isArray(deploy?.targets) ? (deploy.targets as unknown[]) : []).filter((t): t is string => typeof t === "string").map((t) => t.replace(/\/+$/, ""));
    return { ok: true, url: targets.find((t) => t.endsWith(".workers.dev")) ?? targets[0] ?? null };
  }
  const failed = entries.findLast((e) => e.type === "command-failed");
  const message = typeof failed?.message === "string" ? failed.message : "";
  const code = failed?.code;
  const retryAfterMs = typeof failed?.retry_after_ms === "number" ? failed.retry_after_ms : null;
  const text = stripVTControlCharacters(output);
  const apiPath = API_FAILURE.exec(message)?.[1] ?? API_FAILURE.exec(text)?.[1] ?? null;
  // A Cloudflare API error with an error code is usually the API's considered answer (a bad binding, a missing permission):
  // a rerun gives the same. A 429 (Retry-After), an answer with no code (a bare 5xx, a gateway page), a coded answer that
  // says the failure was Cloudflare's own (wrangler's output has no HTTP status) or a network error may clear.
  const hasCode = code !== undefined && code !== null && code !== "";
  const described = describeFailure(message, text);
  const serverSide = apiPath !== null && SERVER_SIDE_FAILURE.test(described);
  const transient = retryAfterMs !== null || (apiPath !== null && !hasCode) || serverSide || NETWORK_FAILURE.test(message || text);
  return { ok: false, transient, apiPath, retryAfterMs, message: described };
}

/** wrangler's error and its notes, without the banner, the bindings table, the bug-report line or the log-file line. */
function describeFailure(message: string, output: string): string {
  const lines = output.split("\n").map((l) => l.trimEnd());
  const start = lines.findLastIndex((l) => /✘ \[ERROR\]/.test(l));
  const notes = (start === -1 ? lines.filter((l) => l.trim()).slice(-8) : lines.slice(start))
    .filter((l) => l.trim() && !/If you think this is a bug|Logs were written to/.test(l))
    .map((l) => l.replace(/^✘ \[ERROR\]\s*/, "").trim());
  const body = notes.filter((l) => l !== message.trim());
  return redact([message.trim(), ...body].filter(Boolean).join("\n") || "wrangler exited with an error and no message");
}

export function readNdjson(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim())
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
