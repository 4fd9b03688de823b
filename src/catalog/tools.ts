import { CONFIRMATION_SETTINGS, DATA_KV, RETENTION_DAYS } from "./settings.js";
import type { ToolPackConfig } from "./types.js";

export const whoamiTool: ToolPackConfig = {
  id: "whoami",
  name: "Who am I: the signed-in person, organization, role, permissions and acting agent",
  tools: [{ name: "whoami", summary: "Who the server thinks is calling: person, organization, role, permissions, agent, scopes.", stores: "nothing" }],
  needs: { permissions: [] },
  settings: [],
};

export const shopTool: ToolPackConfig = {
  id: "shop",
  name: "Shop: list the inventory, order a shirt (idempotent, limited per person), list orders",
  tools: [
    { name: "list_inventory", summary: "What can be ordered, with sizes.", stores: "nothing" },
    {
      name: "order_shirt",
      summary: "Orders a shirt for the caller once they confirmed it; a repeated idempotency_key returns the first order; refused past ORDERS_PER_USER.",
      stores: "the order (size, name, company, address, owner, agent), for RETENTION_DAYS (default 30)",
      confirm: true,
    },
    { name: "list_orders", summary: "The caller's orders, newest first; everyone's with shop:admin.", stores: "nothing" },
  ],
  needs: { permissions: ["shop:admin"] },
  roles: [{ slug: "shop-admin", name: "Shop admin", description: "Sees every order in the shop tools.", permissions: ["shop:admin"] }],
  settings: [
    {
      name: "ORDERS_PER_USER",
      description: "Orders each person may have within the retention period; more are refused with when to retry.",
      example: "3",
      default: "unlimited",
    },
    RETENTION_DAYS,
    ...CONFIRMATION_SETTINGS,
  ],
  kvNamespaces: [DATA_KV],
};

export const demoModeTool: ToolPackConfig = {
  id: "demo-mode",
  name: "Demo mode: ban yourself from ordering, then ask pretty please (kept per person)",
  tools: [
    { name: "set_demo_mode", summary: "Sets the caller's mode: \"banned\" refuses their actions outside this server, such as orders (reads still work), \"normal\" lifts it.", stores: "the caller's mode, until changed" },
    { name: "pretty_please", summary: "Asks nicely: lifts the caller's ban.", stores: "the caller's mode, until changed" },
  ],
  needs: { permissions: [] },
  settings: [],
};

export const auditTool: ToolPackConfig = {
  id: "audit",
  name: "Audit: every call recorded (who, which agent, tool, outcome); audit_log reads it",
  tools: [
    {
      name: "audit_log",
      summary: "Every call of every tool: time, person, agent, tool, outcome; newest first, paged.",
      permission: "audit:read",
      stores: "one record per call (arguments only as a SHA-256 digest), for RETENTION_DAYS (default 30)",
    },
  ],
  needs: { permissions: ["audit:read"] },
  roles: [{ slug: "auditor", name: "Auditor", description: "Reads the audit log.", permissions: ["audit:read"] }],
  settings: [RETENTION_DAYS],
  kvNamespaces: [DATA_KV],
};

export const adminTool: ToolPackConfig = {
  id: "admin",
  name: "Admin: list and revoke the grants people gave agents (proxy mode)",
  tools: [
    { name: "list_grants", summary: "The agents a person has let act for them: your own; anyone's with admin:grants.", stores: "nothing" },
    {
      name: "revoke_grant",
      summary: "Revokes an agent's access at once (its next call gets 401); someone else's needs admin:grants.",
      permission: "admin:grants (for others' grants)",
      stores: "nothing (removes the grant)",
    },
  ],
  needs: { authModes: ["proxy"], permissions: ["admin:grants"] },
  settings: [],
};

export const TOOL_PACKS: readonly ToolPackConfig[] = [whoamiTool, shopTool, demoModeTool, auditTool, adminTool];
