// The one table `npm run bench` prints and writes: each figure with ours, its baseline, the ratio and the goal.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = new URL("../", import.meta.url).pathname;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Collects figures. `goal`: `{ atMost: r }` where smaller is better (times), `{ atLeast: r }` where bigger is
 * (throughput); none for a figure only reported. `note`: what else a reader needs (e.g. the added p99).
 */
export function createTable() {
  const rows = [];
  const loadAtStart = os.loadavg()[0];
  return {
    rows,
    row(figure, unit, ours, baseline, goal, note) {
      const ratio = ours / baseline;
      const pass = !goal ? null : "atMost" in goal ? ratio <= goal.atMost : ratio >= goal.atLeast;
      rows.push({ figure, unit, ours, baseline, ratio, goal: goal ?? null, pass, ...(note ? { note } : {}) });
    },
    finish(file, extra) {
      const machine = {
        cpu: os.cpus()[0]?.model ?? "unknown",
        cores: os.availableParallelism(),
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        loadAverage1mAtStart: loadAtStart,
        loadAverage1mAtEnd: os.loadavg()[0],
      };
      fs.writeFileSync(path.join(root, file), `${JSON.stringify({ date: new Date().toISOString(), ...extra, machine, rows }, null, 2)}\n`);
      const show = (value, unit) =>
        unit === "ms" ? `${value.toFixed(1)} ms` : unit === "bytes" ? `${(value / 1024 / 1024).toFixed(2)} MiB` : unit === "calls/s" ? `${value.toFixed(0)} calls/s` : unit === "MiB" ? `${value.toFixed(1)} MiB` : String(value);
      const goalText = (goal) => (!goal ? "—" : "atMost" in goal ? `≤ ${goal.atMost.toFixed(1)}×` : `≥ ${goal.atLeast.toFixed(1)}×`);
      const table = [
        ["figure", "ours", "baseline", "ratio", "goal", "pass", "note"],
        ...rows.map((r) => [r.figure, show(r.ours, r.unit), show(r.baseline, r.unit), `${r.ratio.toFixed(2)}×`, goalText(r.goal), r.pass === null ? "report" : r.pass ? "pass" : "FAIL", r.note ?? ""]),
      ];
      const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
      const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
      console.log([line(table[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.slice(1).map(line)].join("\n"));
      console.log(`\n${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node} · load (1 min) ${machine.loadAverage1mAtStart.toFixed(2)} at the start, ${machine.loadAverage1mAtEnd.toFixed(2)} at the end`);
      return rows.some((r) => r.pass === false) ? 1 : 0;
    },
  };
}
