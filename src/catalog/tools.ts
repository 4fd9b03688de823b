import { DATA_KV, RETENTION_DAYS } from "./settings.js";
import type { ToolPackConfig } from "./types.js";

export const whoamiTool: ToolPackConfig = {
  id: "whoami",
  name: "Who am I: the signed-in person, organization, role, permissions and acting agent",
  tools: ["whoami"],
  needs: { permissions: [] },
  settings: [],
};

export const shopTool: ToolPackConfig = {
  id: "shop",
  name: "Shop: list the inventory, order a shirt (idempotent, limited per person), list orders",
  tools: ["list_inventory", "order_shirt", "list_orders"],
  needs: { permissions: ["shop:admin"] },
  settings: [
    {
      name: "ORDERS_PER_USER",
      description: "Orders each person may have within the retention period; more are refused with when to retry.",
      example: "3",
      default: "unlimited",
    },
    RETENTION_DAYS,
  ],
  kvNamespaces: [DATA_KV],
};

export const demoModeTool: ToolPackConfig = {
  id: "demo-mode",
  name: "Demo mode: ban yourself from ordering, then ask pretty please (kept per person)",
  tools: ["set_demo_mode", "pretty_please"],
  needs: { permissions: [] },
  settings: [],
};

export const auditTool: ToolPackConfig = {
  id: "audit",
  name: "Audit: every call recorded (who, which agent, tool, outcome); audit_log reads it",
  tools: ["audit_log"],
  needs: { permissions: ["audit:read"] },
  settings: [RETENTION_DAYS],
  kvNamespaces: [DATA_KV],
};

export const TOOL_PACKS: readonly ToolPackConfig[] = [whoamiTool, shopTool, demoModeTool, auditTool];
