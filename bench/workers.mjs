// The Workers figures (bench/README.md says what each means): projects generated for Workers, served by `npm run dev`
// (wrangler dev and its workerd) on loopback, loaded like the Node servers; proxy mode signs in through its own
// development sign-in for a token first.
import fs from "node:fs";
import { devSignInToken } from "./dev-sign-in.mjs";
import { cpuNote, generate, load, paired, rssMiB, start } from "./servers.mjs";
import { median } from "./table.mjs";

const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS) || 7);
const LOAD_S = Number(process.env.BENCH_LOAD_SECONDS) || 60;

/**
 * The workerd process running the project's Worker under `pid` (npm → node scripts/dev.mjs → wrangler → workerd), once
 * it runs. wrangler starts two: its own proxy in front (listening on the dev port) and the runtime for the Worker, its
 * Durable Objects and the local storage simulators, which is the one started with an inspector address.
 */
function workerdOf(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat.trim());
      const parent = Number(rest.split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), { pid: Number(entry), comm }]);
    } catch {
      // gone meanwhile
    }
  }
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      if (child.comm === "workerd" && runsTheWorker(child.pid)) return child.pid;
      queue.push(child.pid);
    }
  }
  return null;
}

function runsTheWorker(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--inspector-addr=");
  } catch {
    return false;
  }
}

/** A running dev server as `load` reads it: requests through its pool, CPU and memory from its workerd. */
const measured = (server) => ({ ...server, child: { pid: workerdOf(server.child.pid) ?? server.child.pid } });

/** The Workers figures, added to `table`; projects go into `work`; `coldBaselineMs`: the hand-written server's cold start. */
export async function workersFigures(table, work, coldBaselineMs) {
  const running = [];
  const devServer = (dir) => start("npm", ["run", "dev"], dir, { WRANGLER_SEND_METRICS: "false", CI: "1" });
  const dev = (dir) => {
    const server = devServer(dir);
    running.push(server);
    return server;
  };
  try {
    const authless = generate(work, "authless-workers", ["--template", "authless", "--target", "workers", "--tools", "whoami"]);
    const proxy = generate(work, "workos-workers", ["--template", "workos", "--target", "workers", "--tools", "whoami"]);

    // Cold start: `npm run dev` to the first answered tools/list, fresh processes each time.
    {
      const runs = [];
      for (let i = 0; i < ROUNDS; i++) {
        const server = devServer(authless);
        runs.push(await server.ready);
        await server.stop();
        await new Promise((resolve) => setTimeout(resolve, 300)); // the port is free again
      }
      table.row("cold start authless/workers (npm run dev → tools/list) vs hand-written SDK server on Node", "ms", median(runs), coldBaselineMs);
    }

    // One after the other: two wrangler dev starting at once can pick the same free port for one of their sockets.
    const plain = dev(authless);
    await plain.ready;
    const proxied = dev(proxy);
    await proxied.ready;
    const token = await devSignInToken(proxied.origin);

    const m = await paired({ server: measured(proxied), tool: "whoami", token }, { server: measured(plain), tool: "whoami" }, { clients: 20 });
    table.row("tools/call workos proxy/workers vs authless/workers under wrangler dev (20 clients)", "calls/s", m.ours, m.baseline, { atLeast: 0.9 }, `p99 +${m.p99.toFixed(2)} ms; ${cpuNote(m.cpu)} (workerd)`);

    // Load held: 50 clients on proxy mode; workerd's resident memory at the end against after a warm-up.
    const server = measured(proxied);
    await load(server, { tool: "whoami", token, clients: 50, seconds: 5 });
    const warm = rssMiB(server.child.pid);
    const held = await load(server, { tool: "whoami", token, clients: 50, seconds: LOAD_S });
    const end = rssMiB(server.child.pid);
    table.row(`load held: workerd's resident memory after ${LOAD_S} s of 50 clients vs after warm-up (workos proxy/workers)`, "MiB", end, warm, { atMost: 1.1 }, `${held.errors} errors, ${held.callsPerS.toFixed(0)} calls/s`);
    if (held.errors) table.row("load held: failed calls (of 50 clients, workers)", "count", held.errors, 1, { atMost: 0 });
  } finally {
    await Promise.all(running.map((s) => s.stop()));
  }
}
