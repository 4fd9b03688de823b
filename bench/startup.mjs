// How much slower `create-mcp-auth --help` starts than Node itself, measured in the same run. The goal: `--help` and a
// plain scaffold start about as fast as Node itself, because the commands and the cloud SDKs load only when a run needs
// them; here that means at most GOAL × a bare `node -e 0`. Prints the ratio; exits 1 above the goal.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const RUNS = 15;
const GOAL = 3; // --help may take at most 3× a bare `node -e 0`
const bin = fileURLToPath(new URL("../bin/create-mcp-auth.js", import.meta.url));

function median(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const node = median(["-e", "0"]);
const help = median([bin, "--help"]);
const ratio = help / node;
console.log(`node -e 0: ${node.toFixed(1)} ms · create-mcp-auth --help: ${help.toFixed(1)} ms · ratio ${ratio.toFixed(2)} (goal ≤ ${GOAL})`);
process.exitCode = ratio <= GOAL ? 0 : 1;
