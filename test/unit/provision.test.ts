import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "jsonc-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { classifyWranglerRun } from "../../src/deploy/wrangler.js";
import { createPlan, projectResources } from "../../src/plan/plan.js";
import { TEMPLATES_ROOT } from "../../src/paths.js";
import { readTemplateTree } from "../../src/render/template-tree.js";
import { describePlan } from "../../src/report/describe-plan.js";
import { findOrCreate, type Ledger } from "../../src/cloud/find-or-create.js";
import {
  parseDotenv,
  removeDotenv,
  removeKvNamespaceId,
  setDotenv,
  setKvNamespaceId,
  setRequiredSecrets,
  setStampKey,
  setVar,
} from "../../src/project/edits.js";
import { emptyState, markPending, readState, recordResource, STATE_FILE, writeState, type ProvisionState } from "../../src/cloud/state.js";
import { optionsFor } from "../helpers/options.js";

describe("state file", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cma-state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is empty when absent, and round-trips through an atomic write", () => {
    expect(readState(dir)).toEqual(emptyState());
    const state = emptyState();
    state.accountId = "acc";
    recordResource(state, { kind: "cloudflare.kv_namespace", name: "app-OAUTH_KV", id: "k1", created: true, details: { binding: "OAUTH_KV" } });
    writeState(dir, state);
    expect(readState(dir)).toEqual(state);
    expect(fs.readdirSync(path.join(dir, ".create-mcp-auth"))).toEqual(["state.json"]);
  });

  it("replaces a resource of the same kind and name, and clears its pending mark", () => {
    const state = emptyState();
    markPending(state, "workos.permission", "shop:admin");
    recordResource(state, { kind: "workos.permission", name: "shop:admin", id: "p1", created: true });
    recordResource(state, { kind: "workos.permission", name: "shop:admin", id: "p2", created: true });
    expect(state.resources).toEqual([{ kind: "workos.permission", name: "shop:admin", id: "p2", created: true }]);
    expect(state.pending).toEqual([]);
  });

  it("refuses a file it cannot read, naming it", () => {
    fs.mkdirSync(path.join(dir, ".create-mcp-auth"));
    fs.writeFileSync(path.join(dir, STATE_FILE), "{ nope");
    expect(() => readState(dir)).toThrow(/state\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify({ version: 99 }));
    expect(() => readState(dir)).toThrow(/version 99/);
  });
});

function ledgerFor(state: ProvisionState = emptyState()) {
  const reports: string[] = [];
  let saves = 0;
  const ledger: Ledger = { state, save: () => void saves++, report: (kind, name, id, action) => void reports.push(`${action} ${kind} ${name} ${id}`) };
  return { ledger, reports, saves: () => saves };
}

describe("findOrCreate", () => {
  const spec = (world: Map<string, string>, opts: { failCreate?: unknown; lostAnswer?: boolean } = {}) => ({
    kind: "cloudflare.kv_namespace" as const,
    name: "app-DATA_KV",
    find: async () => (world.has("app-DATA_KV") ? { id: world.get("app-DATA_KV")! } : undefined),
    create: async () => {
      if (opts.lostAnswer) world.set("app-DATA_KV", "made-but-lost");
      if (opts.failCreate) throw opts.failCreate;
      world.set("app-DATA_KV", "new-id");
      return { id: "new-id" };
    },
    idOf: (v: { id: string }) => v.id,
    isAlreadyExists: (e: unknown) => e === "exists",
  });

  it("creates what is missing and records it as made by this project", async () => {
    const { ledger, reports } = ledgerFor();
    const world = new Map<string, string>();
    expect(await findOrCreate(ledger, spec(world))).toEqual({ value: { id: "new-id" }, action: "created" });
    expect(ledger.state.resources).toEqual([{ kind: "cloudflare.kv_namespace", name: "app-DATA_KV", id: "new-id", created: true }]);
    expect(reports).toEqual(["created cloudflare.kv_namespace app-DATA_KV new-id"]);
  });

  it("reuses what exists: something found that this project did not make is recorded as not ours", async () => {
    const { ledger, reports } = ledgerFor();
    const world = new Map([["app-DATA_KV", "theirs"]]);
    expect((await findOrCreate(ledger, spec(world))).action).toBe("reused");
    expect(ledger.state.resources[0]).toMatchObject({ id: "theirs", created: false });
    expect(reports).toEqual(["reused cloudflare.kv_namespace app-DATA_KV theirs"]);
  });

  it("a creation whose answer was lost is ours on the rerun (the pending mark), and no duplicate is made", async () => {
    const { ledger } = ledgerFor();
    const world = new Map<string, string>();
    await expect(findOrCreate(ledger, spec(world, { lostAnswer: true, failCreate: new Error("timeout") }))).rejects.toThrow("timeout");
    expect(ledger.state.pending).toEqual([{ kind: "cloudflare.kv_namespace", name: "app-DATA_KV" }]);
    const rerun = await findOrCreate(ledger, spec(world));
    expect(rerun.action).toBe("reused");
    expect(ledger.state.resources[0]).toMatchObject({ id: "made-but-lost", created: true });
    expect(ledger.state.pending).toEqual([]);
  });

  it("an 'already exists' answer to create looks again instead of failing", async () => {
    const { ledger } = ledgerFor();
    const world = new Map<string, string>();
    const racing = { ...spec(world, { failCreate: "exists" }), create: async () => {
      world.set("app-DATA_KV", "raced");
      throw "exists";
    } };
    expect(await findOrCreate(ledger, racing)).toEqual({ value: { id: "raced" }, action: "created" });
  });
});

const WRANGLER = `// Cloudflare Worker configuration
{
  "name": "app",
  // KV namespaces.
  "kv_namespaces": [
    // OAuth server state.
    { "binding": "OAUTH_KV" },
    // Records.
    {
      "binding": "DATA_KV"
    }
  ],
  "vars": {
    "AUTHKIT_DOMAIN": "",
    "WORKOS_APP_CLIENT_ID": ""
  }
}
`;

describe("wrangler.jsonc and dotenv edits", () => {
  it("writes KV ids preserving comments and layout (one-line entries stay on one line)", () => {
    let text = setKvNamespaceId(WRANGLER, "OAUTH_KV", "aaa");
    text = setKvNamespaceId(text, "DATA_KV", "bbb");
    expect(text).toContain(`    // OAuth server state.\n    { "binding": "OAUTH_KV", "id": "aaa" },`);
    expect(text).toContain("// Cloudflare Worker configuration");
    expect(parse(text).kv_namespaces).toEqual([{ binding: "OAUTH_KV", id: "aaa" }, { binding: "DATA_KV", id: "bbb" }]);
    // Idempotent, and an id changes in place.
    expect(setKvNamespaceId(text, "OAUTH_KV", "aaa")).toBe(text);
    expect(parse(setKvNamespaceId(text, "OAUTH_KV", "ccc")).kv_namespaces[0].id).toBe("ccc");
    // Removing ids after destroy gives back the original text.
    expect(removeKvNamespaceId(removeKvNamespaceId(text, "OAUTH_KV"), "DATA_KV")).toBe(WRANGLER);
  });

  it("adds a missing binding, and sets vars in place", () => {
    const text = setKvNamespaceId(WRANGLER, "EXTRA_KV", "xyz");
    expect(parse(text).kv_namespaces).toContainEqual({ binding: "EXTRA_KV", id: "xyz" });
    const withVar = setVar(WRANGLER, "AUTHKIT_DOMAIN", "acme.authkit.app");
    expect(withVar).toBe(WRANGLER.replace(`"AUTHKIT_DOMAIN": ""`, `"AUTHKIT_DOMAIN": "acme.authkit.app"`));
  });

  it("sets secrets.required and the package.json stamp in place, leaving the text alone when nothing changes", () => {
    const wrangler = `{\n  // Secrets\n  "secrets": { "required": ["A", "B"] }\n}\n`;
    expect(setRequiredSecrets(wrangler, ["A", "B"])).toBe(wrangler);
    const fewer = setRequiredSecrets(wrangler, ["B"]);
    expect(parse(fewer).secrets.required).toEqual(["B"]);
    expect(fewer).toContain("// Secrets");
    const pkg = `{\n  "name": "x",\n  "create-mcp-auth": {\n    "tools": []\n  }\n}\n`;
    const stamped = setStampKey(pkg, "workosClient", "environment");
    expect(parse(stamped)["create-mcp-auth"]).toEqual({ tools: [], workosClient: "environment" });
    expect(setStampKey(stamped, "workosClient", undefined)).toBe(pkg);
    expect(setStampKey(pkg, "workosClient", undefined)).toBe(pkg);
  });

  it("edits dotenv files line by line, keeping comments", () => {
    let text = "# local settings\nA=1\n";
    text = setDotenv(text, "COOKIE_ENCRYPTION_KEY", "abc123");
    text = setDotenv(text, "A", "two words");
    expect(text).toBe('# local settings\nA="two words"\nCOOKIE_ENCRYPTION_KEY=abc123\n');
    expect(parseDotenv(text)).toEqual(new Map([["A", "two words"], ["COOKIE_ENCRYPTION_KEY", "abc123"]]));
    expect(removeDotenv(text, "A")).toBe("# local settings\nCOOKIE_ENCRYPTION_KEY=abc123\n");
    expect(setDotenv("", "X", "1")).toBe("X=1\n");
  });
});

describe("the plan's resources", () => {
  it("lists what a proxy-mode Workers project provisions and deploys, by stable name", () => {
    const resources = projectResources(optionsFor({ template: "workos", authMode: "proxy", tools: ["whoami", "shop"], packageName: "my-server" }), catalog);
    expect(resources.map((r) => `${r.stage} ${r.kind} ${r.name}`)).toEqual([
      "provision cloudflare.kv_namespace my-server-OAUTH_KV",
      "provision cloudflare.kv_namespace my-server-DATA_KV",
      "provision workos.oauth_application my-server",
      "provision workos.client_secret my-server client secret",
      "provision workos.redirect_uri http://localhost:8787/callback",
      "deploy workos.redirect_uri <url>/callback",
      "deploy workos.oauth_resource <url>/mcp",
      "provision workos.permission shop:admin",
      "provision workos.role shop-admin",
      "provision generated_secret COOKIE_ENCRYPTION_KEY",
      "provision generated_secret REQUEST_STATE_KEY", // the shop's confirmations
      "deploy cloudflare.worker my-server",
      "deploy cloudflare.worker_secret WORKOS_API_KEY",
      "deploy cloudflare.worker_secret WORKOS_APP_CLIENT_SECRET",
      "deploy cloudflare.worker_secret COOKIE_ENCRYPTION_KEY",
      "deploy cloudflare.worker_secret REQUEST_STATE_KEY",
    ]);
  });

  it("with --workos-client environment: no application, the environment client's redirect URIs, no application secret", () => {
    const resources = projectResources(optionsFor({ template: "workos", authMode: "proxy", tools: ["whoami"], packageName: "my-server", workosClient: "environment" }), catalog);
    expect(resources.map((r) => `${r.stage} ${r.kind} ${r.name}`)).toEqual([
      "provision cloudflare.kv_namespace my-server-OAUTH_KV",
      "provision cloudflare.kv_namespace my-server-DATA_KV",
      "provision workos.redirect_uri http://localhost:8787/callback",
      "deploy workos.redirect_uri <url>/callback",
      "deploy workos.oauth_resource <url>/mcp",
      "provision generated_secret COOKIE_ENCRYPTION_KEY",
      "deploy cloudflare.worker my-server",
      "deploy cloudflare.worker_secret WORKOS_API_KEY",
      "deploy cloudflare.worker_secret COOKIE_ENCRYPTION_KEY",
    ]);
    expect(resources.find((r) => r.name.endsWith("/callback"))!.description).toMatch(/environment's AuthKit client \(WORKOS_CLIENT_ID\)/);
  });

  it("has nothing for authless on Node, and only WorkOS for direct mode on Node", () => {
    expect(projectResources(optionsFor({ target: "node" }), catalog)).toEqual([]);
    const direct = projectResources(optionsFor({ template: "workos", authMode: "direct", target: "node" }), catalog);
    expect(direct.map((r) => r.kind)).toEqual(["workos.dcr_check"]);
  });
});

describe("--dry-run's text", () => {
  const planFor = (overrides: Parameters<typeof optionsFor>[0]) =>
    createPlan(optionsFor(overrides), { catalog, templateTree: readTemplateTree(TEMPLATES_ROOT), cliVersion: "0.0.0", cwd: "/work/projects" });

  it("lists every cloud resource the JSON lists, by kind and stable name, marking those made with the deploy", () => {
    const plan = planFor({ template: "workos", authMode: "proxy", tools: ["whoami", "shop"], dryRun: true });
    const text = describePlan(plan);
    expect(text).toContain(`Cloud resources (${plan.resources.length}; made only with --provision, the “with deploy” ones with --deploy):`);
    for (const resource of plan.resources) {
      const line = text.split("\n").find((l) => l.trim().startsWith(`${resource.kind} `) && l.includes(` ${resource.name}`));
      expect(line, `${resource.kind} ${resource.name}`).toBeDefined();
      expect(line!.endsWith("(with deploy)")).toBe(resource.stage === "deploy");
      expect(text).toContain(resource.description);
    }
    expect(text).toMatch(/cloudflare\.kv_namespace +my-server-OAUTH_KV\n/);
    expect(text).toMatch(/cloudflare\.worker +my-server {2}\(with deploy\)\n/);
  });

  it("says when this run would make them, and says none when there are none", () => {
    expect(describePlan(planFor({ template: "workos", authMode: "proxy", provision: true, deploy: true }))).toMatch(/Cloud resources \(\d+; this run would find or create them\):/);
    expect(describePlan(planFor({ template: "workos", authMode: "proxy", provision: true }))).toMatch(/this run would find or create them, except the “with deploy” ones/);
    expect(describePlan(planFor({ target: "node" }))).toMatch(/\nCloud resources: none$/);
  });
});

describe("reading how `wrangler deploy` ended", () => {
  const failed = (entry: Record<string, unknown>, output = "") => classifyWranglerRun(1, [{ type: "command-failed", version: 1, ...entry }], output);
  const api = "A request to the Cloudflare API (/accounts/abc/workers/scripts/app) failed.";

  it("takes the workers.dev URL from the deploy entry", () => {
    const entries = [{ type: "wrangler-session" }, { type: "deploy", targets: ["https://app.example.com", "https://app.ada.workers.dev/"] }];
    expect(classifyWranglerRun(0, entries, "")).toEqual({ ok: true, url: "https://app.ada.workers.dev" });
    expect(classifyWranglerRun(0, [], "")).toEqual({ ok: true, url: null });
  });

  it("reruns a 429, an API answer without an error code (a bare 5xx), Cloudflare's own failure and a network error; not the API's considered answer", () => {
    expect(failed({ message: api, retry_after_ms: 2000 })).toMatchObject({ ok: false, transient: true, retryAfterMs: 2000, apiPath: "/accounts/abc/workers/scripts/app" });
    expect(failed({ message: api })).toMatchObject({ transient: true, retryAfterMs: null });
    expect(failed({ message: "fetch failed" })).toMatchObject({ transient: true, apiPath: null });
    expect(failed({ message: api, code: 10041 })).toMatchObject({ transient: false, apiPath: "/accounts/abc/workers/scripts/app" });
    // A 5xx with a code: wrangler's output has no status, but Cloudflare says the failure was its own.
    const coded5xx = `✘ [ERROR] ${api}\n\n  An unknown error has occurred [code: 10013]\n`;
    expect(failed({ message: api, code: 10013 }, coded5xx)).toMatchObject({ transient: true, apiPath: "/accounts/abc/workers/scripts/app" });
    const considered = `✘ [ERROR] ${api}\n\n  Uncaught Error: No such module "node:missing" [code: 10021]\n`;
    expect(failed({ message: api, code: 10021 }, considered)).toMatchObject({ transient: false });
    expect(failed({ message: "Could not resolve \"./missing\"" })).toMatchObject({ transient: false, apiPath: null });
  });

  it("keeps wrangler's error and notes, without colours, the bindings table or the bug-report line", () => {
    const output = [
      " ⛅️ wrangler 4.164.0",
      'env.WORKOS_API_KEY ("(hidden)")     Environment Variable',
      `\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1m${api}\u001b[0m`,
      "  KV namespace 'x' is not valid. [code: 10041]",
      "  If you think this is a bug, please open an issue at: https://github.com/cloudflare/workers-sdk/issues/new/choose",
      '🪵  Logs were written to "/root/.config/.wrangler/logs/wrangler.log"',
    ].join("\n");
    const outcome = failed({ message: api, code: 10041 }, output);
    expect(outcome).toMatchObject({ ok: false, message: `${api}\nKV namespace 'x' is not valid. [code: 10041]` });
  });
});
