// `npm run dev`: wrangler dev on PORT (default 8787), with this server's settings taken from
// the environment as --var flags, so `ALLOWED_ORIGINS=... npm run dev` works as on Node.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const SETTINGS = ["PUBLIC_URL", "ALLOWED_ORIGINS"];

const require = createRequire(import.meta.url);
const wranglerPackage = require.resolve("wrangler/package.json");
const wrangler = path.join(path.dirname(wranglerPackage), require(wranglerPackage).bin.wrangler);

const args = [wrangler, "dev", "--port", process.env.PORT || "8787", "--ip", "127.0.0.1"];
for (const name of SETTINGS) {
  if (process.env[name]) args.push("--var", `${name}:${process.env[name]}`);
}
args.push(...process.argv.slice(2));

const child = spawn(process.execPath, args, { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
