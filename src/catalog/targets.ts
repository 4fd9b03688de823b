import type { TargetConfig } from "./types.js";

/** The origin `npm run dev` serves by default; proxy mode's sign-in client accepts its /callback too. */
export const LOCAL_ORIGIN = "http://localhost:8787";

export const workersTarget: TargetConfig = {
  id: "workers",
  name: "Cloudflare Workers",
  description: "Cloudflare's edge: `wrangler dev` locally, `npm run deploy` to publish; direct or proxy mode",
  minimumNode: "22.12",
  authModes: ["direct", "proxy"],
  defaultAuthMode: "proxy",
  settings: [],
};

export const nodeTarget: TargetConfig = {
  id: "node",
  name: "Node.js",
  description: "any host with Node.js ≥ 22.13, or the Dockerfile; state in SQLite or Redis; direct mode only",
  // node:sqlite without a flag
  minimumNode: "22.13",
  authModes: ["direct"],
  defaultAuthMode: "direct",
  settings: [
    {
      name: "HOST",
      description: "Interface to listen on: 127.0.0.1 is this machine only, 0.0.0.0 all interfaces (the Dockerfile sets it).",
      example: "127.0.0.1",
      default: "127.0.0.1",
    },
    { name: "PORT", description: "Port to listen on.", example: "8787", default: "8787" },
    {
      name: "DATA_DIR",
      description: "Folder of the embedded store (an SQLite file) that keeps the server's state across restarts.",
      example: "data",
      default: "data",
    },
    {
      name: "REDIS_URL",
      description: "Keep state in Redis instead, shared by every server process that uses it.",
      example: "redis://127.0.0.1:6379",
      default: "unset: the embedded store",
    },
  ],
};

export const TARGETS: readonly TargetConfig[] = [workersTarget, nodeTarget];
