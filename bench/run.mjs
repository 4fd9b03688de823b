// `npm run bench`: the CLI's figures, then the generated servers' (BENCH=cli or BENCH=servers runs one half), as one
// table, written to bench/results.json; exits 1 when a goal is missed. Not part of `npm test`.
import { cliFigures } from "./cli.mjs";
import { serverFigures } from "./servers.mjs";
import { createTable } from "./table.mjs";

const which = (process.env.BENCH ?? "cli,servers").split(",");
const table = createTable();
try {
  if (which.includes("cli")) cliFigures(table);
  if (which.includes("servers")) await serverFigures(table);
} finally {
  // What was measured before a failure is still printed.
  process.exitCode = table.finish("bench/results.json", { which });
}
