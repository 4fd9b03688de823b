import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADA, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { type RunningServer, startDevServer } from "../helpers/server.js";

// MCP Inspector's CLI — a client nobody here wrote — against generated servers, in both protocol eras: authless on
// Workers, and WorkOS direct mode on Node with a bearer token through --header. Inspector 2.12 needs Node ≥ 22.19,
// so this runs in `npm run test:all`.
const INSPECTOR = "@modelcontextprotocol/inspector@2.12.0";
const ERAS = ["legacy", "modern"] as const;

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("inspector");
});
afterAll(() => work?.cleanup());

/** `npx @modelcontextprotocol/inspector --cli <url> …` with its own HOME (it keeps state there) and JSON output. */
async function inspector(url: string, era: (typeof ERAS)[number], args: string[]) {
  const result = await execa("npx", ["--yes", INSPECTOR, "--cli", url, "--transport", "http", "--protocol-era", era, ...args, "--format", "json", "--stored-auth-only"], {
    reject: false,
    stdin: "ignore",
    timeout: 180_000,
    env: { HOME: path.join(work.dir, "home"), MCP_INSPECTOR_SECRET_STORE: "memory", npm_config_update_notifier: "false" },
  });
  const parsed = result.exitCode === 0 ? (JSON.parse(result.stdout) as { result: Record<string, any> }).result : null;
  return { exitCode: result.exitCode, result: parsed, stderr: result.stderr };
}
const whoamiOf = (result: Record<string, any>) => JSON.parse(result.content[0].text);

describe("MCP Inspector CLI against authless on Workers", () => {
  let server: RunningServer;
  let mcp: string;
  beforeAll(async () => {
    const project = await generate(work.dir, "inspected-authless", ["-t", "authless", "--target", "workers", "--tools", "whoami,shop"]);
    server = await startDevServer(project.dir);
    mcp = `http://127.0.0.1:${server.port}/mcp`;
  });
  afterAll(() => server?.stop());

  it.each(ERAS)("lists the tools and calls whoami in the %s era", async (era) => {
    const listed = await inspector(mcp, era, ["--method", "tools/list"]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.result!.tools.map((t: { name: string }) => t.name).sort()).toEqual(["list_inventory", "list_orders", "order_shirt", "whoami"]);
    const called = await inspector(mcp, era, ["--method", "tools/call", "--tool-name", "whoami"]);
    expect(called.exitCode, called.stderr).toBe(0);
    expect(whoamiOf(called.result!)).toMatchObject({ kind: "anonymous", user: null });
  });
});

describe("MCP Inspector CLI against WorkOS direct mode on Node, with a bearer token", () => {
  let server: RunningServer;
  let workos: WorkosFake;
  let mcp: string;
  beforeAll(async () => {
    workos = await startWorkosFake([ADA]);
    const project = await generate(work.dir, "inspected-workos", ["-t", "workos", "--auth-mode", "direct", "--target", "node", "--tools", "whoami"]);
    server = await startDevServer(project.dir, { AUTHKIT_DOMAIN: workos.url, WORKOS_API_HOSTNAME: workos.apiHostname, WORKOS_API_KEY: workos.apiKey });
    mcp = `http://127.0.0.1:${server.port}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    await workos?.close();
  });

  it.each(ERAS)("is told to sign in without a token, and calls whoami with one, in the %s era", async (era) => {
    const refused = await inspector(mcp, era, ["--method", "tools/list"]);
    expect(refused.exitCode).toBe(3); // Inspector's "authorization required"
    const header = `Authorization: Bearer ${await workos.mintAccessToken(ADA, mcp)}`;
    const called = await inspector(mcp, era, ["--header", header, "--method", "tools/call", "--tool-name", "whoami"]);
    expect(called.exitCode, called.stderr).toBe(0);
    expect(whoamiOf(called.result!)).toMatchObject({ kind: "person", user: { id: ADA.id, email: ADA.email }, permissions: ADA.permissions });
  });
});
