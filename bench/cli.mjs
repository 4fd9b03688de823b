// The CLI's figures (bench/README.md says what each means): each one against a baseline run alternately with it in
// this same run, medians of at least 21 runs; then the installed footprint against create-cloudflare. Prints one
// table, writes bench/results.json, and exits 1 when a goal is missed. Not part of `npm test`.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = path.join(root, "bin/create-mcp-auth.js");
const createVite = path.join(root, "node_modules/create-vite/index.js");
const RUNS = Math.max(21, Number(process.env.BENCH_RUNS) || 21);
const SCAFFOLDS = [
  { target: "workers", template: "authless" },
  { target: "workers", template: "workos" }, // the default template (proxy mode, the default on Workers)
  { target: "node", template: "authless" },
  { target: "node", template: "workos" }, // direct mode, the default on Node
];

const loadAtStart = os.loadavg()[0];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cma-bench-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));
let serial = 0;

/** Wall time of one child process, in ms; a failing child stops the bench (a fast failure is not a result). */
function timed(args, cwd = work) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CI: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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

const rows = [];
const row = (figure, unit, ours, baseline, goal) => {
  const ratio = ours / baseline;
  rows.push({ figure, unit, ours, baseline, ratio, goal: goal ?? null, pass: goal === undefined ? null : ratio <= goal });
};

for (const { target, template } of SCAFFOLDS) {
  const m = alternate(
    () => inFreshDir((dir) => timed([bin, "my-mcp-server", "--template", template, "--target", target, "--no-install", "--no-git", "-y"], dir)),
    () => inFreshDir((dir) => timed([createVite, "my-app", "--template", "vanilla-ts", "--no-interactive"], dir)),
  );
  row(`scaffold ${template}/${target} vs create-vite vanilla-ts`, "ms", m.ours, m.baseline, 1.0);
}
{
  const m = alternate(() => timed([bin, "--help"]), () => timed(["-e", "0"]));
  row("--help vs node -e 0", "ms", m.ours, m.baseline, 1.5);
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
try {
  const ours = footprint(root, root);
  const c3 = footprint("create-cloudflare@latest", work);
  row("packed size vs create-cloudflare", "bytes", ours.packed, c3.packed);
  row("installed size with dependencies vs create-cloudflare", "bytes", ours.installed, c3.installed);
  row("packages installed vs create-cloudflare", "count", ours.packages, c3.packages);
} catch (error) {
  console.error(`footprint not measured: ${error.message.split("\n")[0]}`);
}

const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.availableParallelism(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  loadAverage1mAtStart: loadAtStart,
  loadAverage1mAtEnd: os.loadavg()[0],
};
const results = { date: new Date().toISOString(), runs: RUNS, machine, rows };
fs.writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);

const show = (value, unit) =>
  unit === "ms" ? `${value.toFixed(1)} ms` : unit === "bytes" ? `${(value / 1024 / 1024).toFixed(2)} MiB` : String(value);
const table = [
  ["figure", "ours", "baseline", "ratio", "goal", "pass"],
  ...rows.map((r) => [r.figure, show(r.ours, r.unit), show(r.baseline, r.unit), `${r.ratio.toFixed(2)}×`, r.goal === null ? "—" : `≤ ${r.goal.toFixed(1)}×`, r.pass === null ? "report" : r.pass ? "pass" : "FAIL"]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log([line(table[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.slice(1).map(line)].join("\n"));
console.log(`\n${RUNS} alternating runs per timed figure (medians) · ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node} · load (1 min) ${machine.loadAverage1mAtStart.toFixed(2)} at the start, ${machine.loadAverage1mAtEnd.toFixed(2)} at the end`);
process.exitCode = rows.some((r) => r.pass === false) ? 1 : 0;
