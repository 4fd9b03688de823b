import { describe, expect, it } from "vitest";
import { backoffDelay, netConfigFrom, parseRetryAfter } from "../../src/net/config.js";
import { proxyAwareFetch } from "../../src/net/fetch.js";
import { ApiCallError, requestJson, sdkStep } from "../../src/net/http.js";
import { redact, registerSecret } from "../../src/net/redact.js";
import { cloudflareApi } from "../../src/cloud/cloudflare.js";
import { asStepFailure } from "../../src/report/step-failure.js";
import { workosApi } from "../../src/cloud/workos.js";
import { refusedPort } from "../fakes/refused-port.js";

describe("network bounds", () => {
  it("reads CREATE_MCP_AUTH_HTTP_TIMEOUT_MS and CREATE_MCP_AUTH_HTTP_RETRIES, with the documented defaults", () => {
    expect(netConfigFrom({})).toMatchObject({ timeoutMs: 30_000, retries: 3 });
    expect(netConfigFrom({ CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "200", CREATE_MCP_AUTH_HTTP_RETRIES: "0" })).toMatchObject({ timeoutMs: 200, retries: 0, maxDelayMs: 100 });
    expect(() => netConfigFrom({ CREATE_MCP_AUTH_HTTP_RETRIES: "-1" })).toThrow(/CREATE_MCP_AUTH_HTTP_RETRIES/);
    expect(() => netConfigFrom({ CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "soon" })).toThrow(/CREATE_MCP_AUTH_HTTP_TIMEOUT_MS/);
  });

  it("bounds a whole `wrangler deploy` by CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS, by default 120 s plus ten per-call timeouts", () => {
    expect(netConfigFrom({}).deployTimeoutMs).toBe(420_000);
    expect(netConfigFrom({ CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "1000" }).deployTimeoutMs).toBe(130_000);
    expect(netConfigFrom({ CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS: "15000" }).deployTimeoutMs).toBe(15_000);
    expect(() => netConfigFrom({ CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS: "5" })).toThrow(/CREATE_MCP_AUTH_DEPLOY_TIMEOUT_MS must be a whole number ≥ 1000/);
  });

  it("backs off exponentially with jitter, capped, and honours Retry-After up to the cap", () => {
    const config = netConfigFrom({ CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "30000" });
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, config, null, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(1, config, null, () => 1)).toBe(375);
    expect(backoffDelay(1, config, 2_000)).toBe(2_000);
    expect(backoffDelay(1, config, 120_000)).toBe(8_000);
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter(new Date(Date.now() + 5_000).toUTCString(), Date.now())).toBeGreaterThan(3_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

/** A fetch that answers from a script of statuses (or throws), recording every call. */
function scriptedFetch(script: (number | "hang" | "reset")[]) {
  const calls: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push(String(input));
    const next = script.shift() ?? 200;
    if (next === "reset") throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    if (next === "hang") {
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    }
    return new Response(JSON.stringify(next < 400 ? { ok: true } : { message: `status ${next}` }), { status: next, headers: next === 429 ? { "retry-after": "0" } : {} });
  };
  return { fetch, calls };
}

describe("requestJson: timeouts and retries", () => {
  const config = netConfigFrom({ CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "50", CREATE_MCP_AUTH_HTTP_RETRIES: "2" });
  const sleeps: number[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);

  it("retries 429 and 5xx, then succeeds", async () => {
    const { fetch, calls } = scriptedFetch([429, 503, 200]);
    const response = await requestJson({ fetch, config, sleep }, "test step", "http://x/y");
    expect(response).toEqual({ status: 200, body: { ok: true } });
    expect(calls).toHaveLength(3);
  });

  it("returns other statuses to the caller without retrying", async () => {
    const { fetch, calls } = scriptedFetch([404]);
    expect((await requestJson({ fetch, config, sleep }, "s", "http://x")).status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it("gives up after the bound, naming the step and what happened", async () => {
    const { fetch, calls } = scriptedFetch([500, 500, 500, 500]);
    const error = await requestJson({ fetch, config, sleep }, "WorkOS: add redirect URI", "http://x").catch((e) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error.message).toBe("WorkOS: add redirect URI: HTTP 500: status 500 (3 attempts)");
    expect(calls).toHaveLength(3);
  });

  it("times out a call that hangs, and retries network errors", async () => {
    const hanging = scriptedFetch(["hang", "reset", "hang"]);
    const started = Date.now();
    const error = await requestJson({ fetch: hanging.fetch, config, sleep }, "slow step", "http://x").catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.message).toMatch(/^slow step: no answer from x within 50 ms \(3 attempts\)$/);
    const flaky = scriptedFetch(["reset", 200]);
    expect((await requestJson({ fetch: flaky.fetch, config, sleep }, "s", "http://x")).status).toBe(200);
  });

  it("wraps SDK errors into the named step", async () => {
    const error = await sdkStep("Cloudflare: create KV namespace x", "api.cloudflare.com", 100, async () => {
      throw Object.assign(new Error("400 bad"), { status: 400, errors: [{ code: 10014, message: "a namespace with this account ID and title already exists" }] });
    }).catch((e) => e);
    expect(error).toMatchObject({ step: "Cloudflare: create KV namespace x", status: 400 });
    expect(error.detail).toBe("HTTP 400: a namespace with this account ID and title already exists");
  });
});

describe("a host that refuses connections", () => {
  const net = netConfigFrom({ CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "2000", CREATE_MCP_AUTH_HTTP_RETRIES: "0" });
  const ledger = { state: { version: 1, resources: [] }, save: () => undefined, report: () => undefined } as never;
  /** The message a failed provisioning run prints for this failure. */
  const reported = async (call: () => Promise<unknown>) => ((asStepFailure(await call().catch((e) => e), "provision")) as Error).message;

  it("is named, in one sentence, whichever client made the call", async () => {
    const port = await refusedPort();
    const host = `127.0.0.1:${port}`;
    const fetch = await proxyAwareFetch();
    const cloudflare = await cloudflareApi({ apiToken: "token", baseURL: `http://${host}/client/v4`, net, fetch });
    const workos = await workosApi({ apiKey: "sk_test_refused", apiHostname: host, net, fetch });
    const messages = {
      cloudflareSdk: await reported(() => cloudflare.accounts()),
      workosSdk: await reported(() => workos.ensurePermission(ledger, "shop:admin", "Shop admin")),
      workosRest: await reported(() => workos.ensureOauthResource(ledger, "https://example.com/mcp")),
    };
    expect(messages.cloudflareSdk).toMatch(new RegExp(`^Provisioning stopped at "Cloudflare: list accounts": cannot connect to ${host} \\(connection refused\\)\\. What was done`));
    expect(messages.workosSdk).toMatch(new RegExp(`"WorkOS: find permission shop:admin": cannot connect to ${host} \\(connection refused\\)\\. What`));
    expect(messages.workosRest).toMatch(new RegExp(`"WorkOS: find AuthKit resource https://example.com/mcp": cannot connect to ${host} \\(connection refused\\) \\(1 attempt\\)\\. What`));
    for (const message of Object.values(messages)) expect(message).not.toMatch(/\.\.|Connection error|fetch failed/);
  });
});

describe("redaction", () => {
  it("removes every registered secret from text", () => {
    registerSecret("sk_test_abcdef123456");
    expect(redact("key sk_test_abcdef123456 leaked")).toBe("key [redacted] leaked");
  });
});
