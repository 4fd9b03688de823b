import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADA, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { REPO_ROOT, tempDir } from "../helpers/cli.js";
import { generate, projectScript } from "../helpers/project.js";
import { signedInAgent, startProxyServer } from "../helpers/proxy-oauth.js";
import { type RunningServer, startDevServer } from "../helpers/server.js";
import { startTokenProxy } from "../helpers/token-proxy.js";

// The MCP conformance suite (@modelcontextprotocol/conformance) — a client nobody here wrote — against generated
// servers at both frozen requirement sets. The projects get a test-only pack of the suite's fixture tools
// (conformance/fixture-pack.ts), so the tool and input_required scenarios run for real; what a tools-only, stateless
// server cannot pass is in conformance/expected-failures-<revision>.yml with its reason, and an unexpected pass fails
// too. The suite sends no Authorization header, so servers with sign-in are reached through a proxy that adds a token.
const REVISIONS = ["2026-07-28", "2025-11-25"] as const;
const HERE = path.join(REPO_ROOT, "test/interop/conformance");
const CONFORMANCE = path.join(REPO_ROOT, "node_modules/.bin/conformance");

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("conformance");
});
afterAll(() => work?.cleanup());

/** A generated project with the fixture pack added beside its own packs, type-checked. */
async function projectWithFixtures(name: string, flags: string[]) {
  const project = await generate(work.dir, name, [...flags, "--tools", "whoami"]);
  fs.copyFileSync(path.join(HERE, "fixture-pack.ts"), path.join(project.dir, "src/tools/conformance.ts"));
  const index = path.join(project.dir, "src/tools/index.ts");
  const listed = fs
    .readFileSync(index, "utf8")
    .replace('import { whoamiPack } from "./whoami.js";', 'import { whoamiPack } from "./whoami.js";\nimport { conformancePack } from "./conformance.js";')
    .replace("[whoamiPack]", "[whoamiPack, conformancePack]");
  expect(listed).toContain("conformancePack]");
  fs.writeFileSync(index, listed);
  await projectScript(project.dir, "typecheck");
  return project;
}

async function conformance(url: string, revision: (typeof REVISIONS)[number]) {
  const result = await execa(CONFORMANCE, ["server", "--url", url, "--requirements", revision, "--expected-failures", path.join(HERE, `expected-failures-${revision}.yml`)], {
    reject: false,
    all: true,
    timeout: 240_000,
  });
  return { exitCode: result.exitCode, output: result.all ?? "" };
}

describe.each(["workers", "node"])("conformance of authless on %s", (target) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startDevServer((await projectWithFixtures(`conformance-authless-${target}`, ["-t", "authless", "--target", target])).dir);
  });
  afterAll(() => server?.stop());

  it.each(REVISIONS)("passes the %s requirement set but for its baseline", async (revision) => {
    const run = await conformance(`http://127.0.0.1:${server.port}/mcp`, revision);
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
    expect(run.output).toMatch(/tools-call-simple-text/);
  });
});

describe("conformance of WorkOS direct mode on Node, with a token added by a proxy", () => {
  let server: RunningServer;
  let workos: WorkosFake;
  let proxy: Awaited<ReturnType<typeof startTokenProxy>>;
  beforeAll(async () => {
    workos = await startWorkosFake([ADA]);
    const project = await projectWithFixtures("conformance-direct", ["-t", "workos", "--auth-mode", "direct", "--target", "node"]);
    server = await startDevServer(project.dir, { AUTHKIT_DOMAIN: workos.url, WORKOS_API_HOSTNAME: workos.apiHostname, WORKOS_API_KEY: workos.apiKey });
    proxy = await startTokenProxy(server.port);
    // The server names itself after the Host it is reached by: the proxy's, so that is the token's audience.
    proxy.setToken(await workos.mintAccessToken(ADA, `${proxy.origin}/mcp`));
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    await workos?.close();
  });

  it.each(REVISIONS)("passes the %s requirement set but for its baseline", async (revision) => {
    const run = await conformance(`${proxy.origin}/mcp`, revision);
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
  });
});

describe("conformance of WorkOS proxy mode on Workers, with its own token added by a proxy", () => {
  let server: RunningServer;
  let workos: WorkosFake;
  let proxy: Awaited<ReturnType<typeof startTokenProxy>>;
  beforeAll(async () => {
    workos = await startWorkosFake([ADA]);
    const project = await projectWithFixtures("conformance-proxy", ["-t", "workos", "--auth-mode", "proxy", "--target", "workers"]);
    const started = await startProxyServer(project.dir, workos);
    server = started.server;
    proxy = await startTokenProxy(server.port);
    // Sign in through the proxy's origin, the one the suite uses: this server's tokens are bound to the origin they came from.
    workos.clients.get(started.app.clientId)!.redirectUris.push(`${proxy.origin}/callback`);
    proxy.setToken((await signedInAgent(proxy.origin, "Conformance suite")).access_token);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    await workos?.close();
  });

  it.each(REVISIONS)("passes the %s requirement set but for its baseline", async (revision) => {
    const run = await conformance(`${proxy.origin}/mcp`, revision);
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
  });
});
