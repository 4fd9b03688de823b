import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, recordedEnvironments, tempDir, writeRecordingShim } from "../helpers/cli.js";
import { cli, cloudEnv, expectOk, startClouds, type Clouds } from "../helpers/provision.js";

// What the CLI's own children see: `npm install` (its dependencies' install scripts) and `git` (its hooks) get no
// credential or secret; and a secrets file made for `wrangler deploy` is gone however the run ends (Ctrl-C, SIGTERM).
// `npm`, `git` and `wrangler` are shims here that record their environment (git then runs the real one).

const SECRET_SETTINGS = {
  GITHUB_CLIENT_SECRET: "gh-secret-0123456789abcdef",
  COOKIE_ENCRYPTION_KEY: "cookie-key-0123456789abcdef0123456789abcdef",
  WORKOS_APP_CLIENT_SECRET: "app-secret-0123456789abcdef",
};

let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
let shims: string;
let records: string;
beforeAll(async () => {
  work = tempDir("cli-secrets");
  clouds = await startClouds();
  shims = path.join(work.dir, "bin");
  records = path.join(work.dir, "records");
  const realGit = (await execa("sh", ["-c", "command -v git"])).stdout.trim();
  // npm "installs" a wrangler that, once started, says so and waits: long enough to be interrupted mid-deploy.
  const fakeWrangler = `#!/bin/sh\\ntouch "${records}/wrangler-started"\\nexec sleep 60\\n`;
  writeRecordingShim(shims, "npm", records, `mkdir -p node_modules/.bin && printf '${fakeWrangler}' > node_modules/.bin/wrangler && chmod +x node_modules/.bin/wrangler`);
  writeRecordingShim(shims, "git", records, `exec "${realGit}" "$@"`);
});
afterAll(async () => {
  await clouds.close();
  work.cleanup();
});

const withShims = (env: Record<string, string | undefined>) => ({ ...env, PATH: `${shims}:${process.env.PATH}` });
const recorded = (tool: string) => recordedEnvironments(records, tool);

describe("what the CLI's child processes see", () => {
  it("gives npm install and git none of its credentials or the secrets it knows, and keeps everything else", async () => {
    const env = withShims(cloudEnv(clouds, SECRET_SETTINGS));
    const created = await cli(["kept", "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami", "--provision"], work.dir, env);
    expectOk(created);
    expect(created.json.steps).toEqual(expect.arrayContaining([{ name: "install", status: "done" }, { name: "git", status: "done" }]));
    const seen = [...recorded("npm"), ...recorded("git")];
    expect(recorded("npm").length).toBeGreaterThan(0);
    expect(recorded("git").length).toBeGreaterThan(0);
    const secrets = [clouds.cf.apiToken, clouds.workos.apiKey, ...Object.values(SECRET_SETTINGS)];
    for (const environment of seen) {
      for (const secret of secrets) expect(environment).not.toContain(secret);
      for (const name of ["CLOUDFLARE_API_TOKEN", "WORKOS_API_KEY", ...Object.keys(SECRET_SETTINGS)]) expect(environment).not.toMatch(new RegExp(`^${name}=`, "m"));
      expect(environment).toMatch(/^PATH=/m); // the rest of the environment is theirs
      expect(environment).toContain(`CLOUDFLARE_API_BASE_URL=${clouds.cf.apiBase}`);
    }
  });
});

/** Starts a CLI run, waits until the fake wrangler is deploying, then sends `signal`; resolves with the exit code. */
async function interruptDeploy(args: string[], cwd: string, env: Record<string, string | undefined>, signal: NodeJS.Signals, tmp: string) {
  const started = path.join(records, "wrangler-started");
  fs.rmSync(started, { force: true });
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, TMPDIR: tmp }, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!fs.existsSync(started)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`wrangler never started (exit ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const scratch = fs.readdirSync(tmp).filter((f) => f.startsWith("create-mcp-auth-deploy-"));
  expect(scratch).toHaveLength(1);
  expect(fs.existsSync(path.join(tmp, scratch[0]!, "secrets.json"))).toBe(true); // the file this is about
  child.kill(signal);
  return exited;
}

describe("temporary files that hold secrets", () => {
  /** What a run left in its temporary directory, but Node's own compiled-code cache (the bin shim turns it on; code only). */
  const leftIn = (tmp: string) => fs.readdirSync(tmp).filter((entry) => entry !== "node-compile-cache");

  const tmpFor = (name: string) => {
    const dir = path.join(work.dir, `tmp-${name}`);
    fs.mkdirSync(dir);
    return dir;
  };

  it("are removed when `deploy` is cancelled with Ctrl-C (exit 130)", async () => {
    const env = withShims(cloudEnv(clouds, SECRET_SETTINGS));
    expectOk(await cli(["cancelled", "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami", "--no-git"], work.dir, env));
    const tmp = tmpFor("sigint");
    const code = await interruptDeploy(["deploy", "--json"], path.join(work.dir, "cancelled"), env, "SIGINT", tmp);
    expect(code).toBe(130);
    expect(leftIn(tmp)).toEqual([]);
  });

  it("are removed when `create --deploy` is stopped with SIGTERM (exit 143)", async () => {
    const env = withShims(cloudEnv(clouds, SECRET_SETTINGS));
    const tmp = tmpFor("sigterm");
    const code = await interruptDeploy(["stopped", "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami", "--no-git", "--deploy", "--json"], work.dir, env, "SIGTERM", tmp);
    expect(code).toBe(143);
    expect(leftIn(tmp)).toEqual([]);
  });
});
