// The CLI's figures (bench/README.md says what each means): each one against a baseline run alternately with it in
// this same run, medians of at least 21 runs; then the installed footprint against create-cloudflare.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, root } from "./table.mjs";

const bin = path.join(root, "bin/create-mcp-auth.js");
const createVite = path.join(root, "node_modules/create-vite/index.js");
export const RUNS = Math.max(21, Number(process.env.BENCH_RUNS) || 21);
const SCAFFOLDS = [
  { target: "workers", template: "authless" },
  { target: "workers", template: "workos" }, // the default template (proxy mode, the default on Workers)
  { target: "node", template: "authless" },
  { target: "node", template: "workos" }, // direct mode, the default on Node
];

let work;
let serial = 0;

/** Wall time of one child process, in ms; a failing child stops the bench (a fast failure is not a result). */
function timed(args, cwd = work) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CI: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/** Runs `ours` and `baseline` alternately (who goes first alternates too), RUNS times each, after one warm-up each. */
function alternate(ours, baseline) {
  ours();
  baseline();
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) {
      b.push(baseline());
      a.push(ours());
    } else {
      a.push(ours());
      b.push(baseline());
    }
  }
  return { ours: median(a), baseline: median(b) };
}

/** A fresh empty parent directory per run, made and removed outside the timed part. */
function inFreshDir(run) {
  const dir = path.join(work, `run-${serial++}`);
  fs.mkdirSync(dir);
  try {
    return run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Footprint: each package packed, then installed alone into an empty prefix from its tarball, as `npx` would.
function footprint(spec, cwd) {
  const dir = fs.mkdtempSync(path.join(work, "footprint-"));
  const npm = (args, at) => execFileSync("npm", args, { cwd: at, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" } });
  const [{ filename, size }] = JSON.parse(npm(["pack", spec, "--json", "--pack-destination", dir], cwd));
  const prefix = path.join(dir, "install");
  fs.mkdirSync(prefix);
  fs.writeFileSync(path.join(prefix, "package.json"), '{ "private": true }\n');
  npm(["install", "--prefix", prefix, "--prefer-offline", "--omit=dev", path.join(dir, filename)], prefix);
  const modules = path.join(prefix, "node_modules");
  let bytes = 0;
  for (const entry of fs.readdirSync(modules, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  const lock = JSON.parse(fs.readFileSync(path.join(modules, ".package-lock.json"), "utf8"));
  const packages = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/") && !lock.packages[p].link).length;
  return { packed: size, installed: bytes, packages };
}

/** The CLI's figures, added to `table`. */
export function cliFigures(table) {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "cma-bench-"));
  try {
    for (const { target, template } of SCAFFOLDS) {
      const m = alternate(
        () => inFreshDir((dir) => timed([bin, "my-mcp-server", "--template", template, "--target", target, "--no-install", "--no-git", "-y"], dir)),
        () => inFreshDir((dir) => timed([createVite, "my-app", "--template", "vanilla-ts", "--no-interactive"], dir)),
      );
      table.row(`scaffold ${template}/${target} vs create-vite vanilla-ts`, "ms", m.ours, m.baseline, { atMost: 1.0 });
    }
    {
      const m = alternate(() => timed([bin, "--help"]), () => timed(["-e", "0"]));
      table.row("--help vs node -e 0", "ms", m.ours, m.baseline, { atMost: 1.5 });
    }

    try {
      const ours = footprint(root, root);
      const c3 = footprint("create-cloudflare@latest", work);
      table.row("packed size vs create-cloudflare", "bytes", ours.packed, c3.packed);
      table.row("installed size with dependencies vs create-cloudflare", "bytes", ours.installed, c3.installed);
      table.row("packages installed vs create-cloudflare", "count", ours.packages, c3.packages);
    } catch (error) {
      console.error(`footprint not measured: ${error.message.split("\n")[0]}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
