import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { StepError } from "../errors.js";
import { redact } from "../net/redact.js";

export interface WranglerDeployOptions {
  projectDir: string;
  accountId: string;
  apiToken: string;
  /** CLOUDFLARE_API_BASE_URL, when the API is redirected (staging, tests). */
  baseURL?: string;
  /** Secrets uploaded with the deploy (a new Worker has nowhere to hold them before). */
  secrets?: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

/**
 * `wrangler deploy` from the project's own node_modules, for the chosen account; the deployed URL comes from wrangler's
 * machine-readable output (WRANGLER_OUTPUT_FILE_PATH, NDJSON). Secrets go in a temporary file outside the project, readable
 * by us only, removed right after.
 */
export async function wranglerDeploy(options: WranglerDeployOptions): Promise<{ url: string | null }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "create-mcp-auth-deploy-"));
  const outputFile = path.join(scratch, "wrangler-output.ndjson");
  const args = ["deploy"];
  try {
    if (options.secrets && Object.keys(options.secrets).length > 0) {
      const secretsFile = path.join(scratch, "secrets.json");
      fs.writeFileSync(secretsFile, JSON.stringify(options.secrets), { mode: 0o600 });
      args.push("--secrets-file", secretsFile);
    }
    const wrangler = path.join(options.projectDir, "node_modules", ".bin", process.platform === "win32" ? "wrangler.cmd" : "wrangler");
    if (!fs.existsSync(wrangler)) {
      throw new StepError("wrangler is not installed in the project: run `npm install` there (or create without --no-install), then `create-mcp-auth deploy`.", "deploy_failed");
    }
    const result = await execa(wrangler, args, {
      cwd: options.projectDir,
      reject: false,
      all: true,
      stdin: "ignore",
      env: {
        ...options.env,
        CLOUDFLARE_API_TOKEN: options.apiToken,
        CLOUDFLARE_ACCOUNT_ID: options.accountId,
        ...(options.baseURL ? { CLOUDFLARE_API_BASE_URL: options.baseURL } : {}),
        WRANGLER_OUTPUT_FILE_PATH: outputFile,
        // wrangler must not stop to ask: we are its non-interactive caller.
        CI: "true",
      },
    });
    const entries = readNdjson(outputFile);
    if (result.exitCode !== 0) {
      const failed = entries.findLast((e) => e.type === "command-failed")?.message;
      const tail = (result.all ?? "").split("\n").filter((l) => l.trim()).slice(-8).join("\n");
      throw new StepError(redact(`\`wrangler deploy\` failed${failed ? `: ${String(failed)}` : ""}\n${tail}`), "deploy_failed");
    }
    const deploy = entries.findLast((e) => e.type === "deploy");
    const targets = Array.isArray(deploy?.targets) ? (deploy.targets as string[]) : [];
    const url = targets.find((t) => t.endsWith(".workers.dev")) ?? targets[0] ?? null;
    return { url: url ? url.replace(/\/+$/, "") : null };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
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
