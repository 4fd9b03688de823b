import { existsSync } from "node:fs";
import { serve } from "@hono/node-server";
import { createApp } from "./server/app.js";
import { auth } from "./server/auth.js";
import { createSqliteStore } from "./server/store/sqlite-store.js";
import { isLoopbackHost, loopbackOrigin } from "./server/origin.js";
import { readSettings, SettingsError, type Settings } from "./server/settings.js";
import { describeSignIn, reportSignIn, signInState } from "./server/sign-in-state.js";

if (existsSync(".env")) process.loadEnvFile(".env");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

// The environment is read once: process.env is slow to copy, and a server's settings do not change while it runs.
const env = { ...process.env };
let settings: Settings;
try {
  settings = readSettings(env);
} catch (error) {
  if (error instanceof SettingsError) fail(error.message);
  throw error;
}
// Without PUBLIC_URL the server takes its own origin (the resource URL, the token audience) from the Host header, which
// only a loopback listener can trust: development means NODE_ENV is not production and HOST is loopback.
const local = isLoopbackHost(settings.host);
if (!settings.publicUrl && env.NODE_ENV === "production") {
  fail("PUBLIC_URL is not set: in production (NODE_ENV=production) set it to this server's public origin, e.g. PUBLIC_URL=https://mcp.example.com");
}
if (!settings.publicUrl && !local) {
  fail(
    `PUBLIC_URL is not set and HOST=${settings.host} is not loopback: anyone who can reach this server could choose the ` +
      `origin it names itself by. Set PUBLIC_URL to its public origin (e.g. PUBLIC_URL=https://mcp.example.com), or listen on HOST=127.0.0.1.`,
  );
}

// Development: not NODE_ENV=production and listening on loopback only (then the development sign-in may answer).
const development = env.NODE_ENV !== "production" && local;
if (auth.signIn) {
  const localOrigin = !settings.publicUrl || isLoopbackHost(new URL(settings.publicUrl).hostname);
  const state = signInState(auth.signIn, env, development && localOrigin);
  if (state.kind === "unready" && !development) fail(describeSignIn(state, auth.signIn));
  reportSignIn(state, auth.signIn);
}

// REDIS_URL: state shared by every process on that Redis; otherwise an SQLite file in DATA_DIR.
const redisUrl = env.REDIS_URL?.trim();
// The redis package loads only when it is used.
const store = redisUrl
  ? await (await import("./server/store/redis-store.js")).createRedisStore(redisUrl)
  : createSqliteStore(env.DATA_DIR?.trim() || "data");

/** Each request's client address, from its connection (never from a header or the environment). */
const clientAddresses = new WeakMap<Request, string>();
const clientAddress = (request: Request) => clientAddresses.get(request) ?? "unknown";

const app = createApp({
  // A DNS-rebinding web page chooses the Host header, so only a loopback host, from a caller on this machine, names it.
  requestOrigin: (c) => (isLoopbackHost(clientAddress(c.req.raw)) ? loopbackOrigin(c.req.raw) : null),
  platform: {
    store: () => store,
    clientAddress: (c) => clientAddress(c.req.raw),
    localDevelopment: (c) => development && isLoopbackHost(clientAddress(c.req.raw)),
  },
});
const server = serve(
  {
    fetch: (request, { incoming }) => {
      if (incoming.socket.remoteAddress) clientAddresses.set(request, incoming.socket.remoteAddress);
      return app.fetch(request, env);
    },
    hostname: settings.host,
    port: settings.port,
  },
  ({ port }) => {
    const shown = local ? "localhost" : settings.host;
    console.log(`MCP server listening on http://${shown.includes(":") ? `[${shown}]` : shown}:${port}/mcp`);
  },
);
server.on("error", (error: NodeJS.ErrnoException) => {
  fail(error.code === "EADDRINUSE" ? `Port ${settings.port} is in use: set PORT to another port.` : error.message);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(async () => {
    await store.close();
    process.exit(0);
  }));
}
