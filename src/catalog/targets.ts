import type { TargetConfig } from "./types.js";

export const workersTarget: TargetConfig = {
  id: "workers",
  name: "Cloudflare Workers",
  authModes: ["direct", "proxy"],
  defaultAuthMode: "proxy",
};

export const nodeTarget: TargetConfig = {
  id: "node",
  name: "Node.js",
  authModes: ["direct"],
  defaultAuthMode: "direct",
};

export const TARGETS: readonly TargetConfig[] = [workersTarget, nodeTarget];
