import type { SettingConfig } from "./types.js";

/** Settings every generated server reads (design.md §5). */
export const BASE_SETTINGS: readonly SettingConfig[] = [
  {
    name: "PUBLIC_URL",
    description: "This server's public origin. Unset: the origin requests are sent to (on Node only for localhost).",
    example: "https://mcp.example.com",
    default: "the request's origin",
  },
  {
    name: "ALLOWED_ORIGINS",
    description:
      "Comma-separated web page origins allowed to call /mcp besides the server's own (while it runs locally, any localhost page is allowed too).",
    example: "https://app.example.com,https://admin.example.com",
    default: "none",
  },
];
