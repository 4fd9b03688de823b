import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, recordedEnvironments, REPO_ROOT, runCli, tempDir, writeRecordingShim } from "../helpers/cli.js";
import { cloudEnv, startClouds, type Clouds } from "../helpers/provision.js";

// Provisioning asked for through a real pseudo-terminal: the list of what would be made, the question, a masked
// credential prompt, and the account choice when the token sees several.
const DOWN = "\x1b[B";
const LEFT = "\x1b[D";
const ENTER = "\r";
const CTRL_C = "\x03";

let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
beforeAll(async () => {
  work = tempDir("provision-pty");
  clouds = await startClouds([
    { id: "a".repeat(32), name: "Personal" },
    { id: "b".repeat(32), name: "Work" },
  ]);
});
afterAll(async () => {
  await clouds.close();
  work.cleanup();
});

describe("interactive provisioning", () => {
  it("lists the resources, asks, takes a masked token and an account choice, then provisions; git never sees the token", async () => {
    // git records the environment it is given, then runs the real git.
    const shims = path.join(work.dir, "bin");
    const records = path.join(work.dir, "records");
    writeRecordingShim(shims, "git", records, `exec "${(await execa("sh", ["-c", "command -v git"])).stdout.trim()}" "$@"`);
    const env = { ...process.env, ...cloudEnv(clouds), CLOUDFLARE_API_TOKEN: undefined, PATH: `${shims}:${process.env.PATH}` };
    delete env.CLOUDFLARE_API_TOKEN;
    const steps: [RegExp, string][] = [
      [/Create them now\?/, `${LEFT}${ENTER}`],
      [/CLOUDFLARE_API_TOKEN/, `${clouds.cf.apiToken}${ENTER}`],
      [/Which Cloudflare account\?/, `${DOWN}${ENTER}`],
    ];
    const result = await execa(
      "python3",
      [
        path.join(REPO_ROOT, "test/helpers/pty-drive.py"),
        work.dir,
        JSON.stringify([process.execPath, BIN, "asked", "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami", "--no-install"]),
        JSON.stringify(steps.map(([pattern, answer]) => [pattern.source, answer])),
      ],
      { reject: false, env, extendEnv: false },
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    // The list came before the question.
    expect(result.stdout).toMatch(/Cloudflare KV namespace for OAUTH_KV[\s\S]*WorkOS OAuth application[\s\S]*Create them now\?/);
    // The token was typed into a masked prompt: never echoed.
    expect(result.stdout).not.toContain(clouds.cf.apiToken);
    expect(clouds.cf.snapshot().kvNamespaces.sort()).toEqual([`${"b".repeat(32)}/asked-DATA_KV`, `${"b".repeat(32)}/asked-OAUTH_KV`]);
    const state = JSON.parse(fs.readFileSync(path.join(work.dir, "asked/.create-mcp-auth/state.json"), "utf8"));
    expect(state.accountId).toBe("b".repeat(32));
    // A typed credential stays inside the CLI: not in the environment of git (or its hooks).
    const gits = recordedEnvironments(records, "git");
    expect(gits.length).toBeGreaterThan(0);
    for (const environment of gits) expect(environment).not.toContain(clouds.cf.apiToken);
  });

  it("exits 130 on Ctrl-C while a call is under way, saying how to continue", async () => {
    const made = await runCli(["stopped", "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami", "--no-install", "--no-git"], { cwd: work.dir });
    expect(made.exitCode, made.stderr).toBe(0);
    const dir = path.join(work.dir, "stopped");
    clouds.cf.http.fail(/storage\/kv\/namespaces/, { status: 503, times: Number.POSITIVE_INFINITY, delayMs: 30_000 });
    const env: NodeJS.ProcessEnv = { ...process.env, ...cloudEnv(clouds, { CLOUDFLARE_ACCOUNT_ID: "a".repeat(32), CREATE_MCP_AUTH_HTTP_TIMEOUT_MS: "60000" }) };
    const result = await execa(
      "python3",
      [
        path.join(REPO_ROOT, "test/helpers/pty-drive.py"),
        dir,
        JSON.stringify([process.execPath, BIN, "provision"]),
        JSON.stringify([["Cloudflare KV namespace stopped-", CTRL_C]]),
      ],
      { reject: false, env, extendEnv: false },
    );
    clouds.cf.http.clearFaults();
    expect(result.exitCode, result.stdout).toBe(130);
    expect(result.stdout).toContain(`The project is in ${dir}. What was done so far is recorded in .create-mcp-auth/state.json; rerun \`create-mcp-auth provision\``);
  });

  it("asks for the GitHub OAuth app's id in plain text and its secret masked, then keeps the secret out of tracked files", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...cloudEnv(clouds, { CLOUDFLARE_ACCOUNT_ID: "a".repeat(32) }) };
    for (const name of ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"]) delete env[name];
    const secret = "ghsecret0123456789abcdef0123456789abcdef";
    const steps: [RegExp, string][] = [
      [/Create them now\?/, `${LEFT}${ENTER}`],
      [/GITHUB_CLIENT_ID/, `Ov23liPtyTest${ENTER}`],
      [/GITHUB_CLIENT_SECRET/, `${secret}${ENTER}`],
    ];
    const result = await execa(
      "python3",
      [
        path.join(REPO_ROOT, "test/helpers/pty-drive.py"),
        work.dir,
        JSON.stringify([process.execPath, BIN, "gh-asked", "-t", "github", "--target", "workers", "--tools", "whoami", "--no-install", "--no-git"]),
        JSON.stringify(steps.map(([pattern, answer]) => [pattern.source, answer])),
      ],
      { reject: false, env, extendEnv: false },
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("Ov23liPtyTest"); // a client id is not secret: it is echoed
    expect(result.stdout).not.toContain(secret);
    const dir = path.join(work.dir, "gh-asked");
    expect(fs.readFileSync(path.join(dir, ".dev.vars"), "utf8")).toContain(`GITHUB_CLIENT_SECRET=${secret}`);
    expect(fs.readFileSync(path.join(dir, "wrangler.jsonc"), "utf8")).toContain('"GITHUB_CLIENT_ID": "Ov23liPtyTest"');
    for (const file of ["wrangler.jsonc", "package.json", ".create-mcp-auth/state.json", "README.md"]) {
      expect(fs.readFileSync(path.join(dir, file), "utf8")).not.toContain(secret);
    }
  });
});
