import type { SettingConfig } from "./types.js";

/** Settings every generated server reads. */
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
  {
    name: "CALLS_PER_MINUTE",
    description: "Tool calls each person may make per minute, across all their agents (per client address without sign-in); refused calls say when to retry.",
    example: "60",
    default: "unlimited",
  },
];

export const RETENTION_DAYS: SettingConfig = {
  name: "RETENTION_DAYS",
  description: "Days stored records (orders, audit records) are kept.",
  example: "30",
  default: "30",
};

/** Every template with sign-in: the per-agent quota, how its pages name the server, its access policy (empty lists admit every signed-in person), the audit trail's retention. */
export const SIGN_IN_SETTINGS: readonly SettingConfig[] = [
  {
    name: "CALLS_PER_MINUTE_PER_AGENT",
    description:
      "Tool calls each person may make per minute through any one agent (OAuth client), besides CALLS_PER_MINUTE across all of them; refused calls say which limit and when to retry.",
    example: "20",
    default: "unlimited",
  },
  {
    name: "SERVER_NAME",
    description: "The name people see on this server's sign-in and consent pages.",
    example: "Acme Tools",
    default: "the package name in title case",
  },
  {
    name: "SERVER_LOGO_URL",
    description: "An https URL of a logo shown on this server's sign-in and consent pages.",
    example: "https://example.com/logo.png",
    default: "no logo",
  },
  {
    name: "ALLOWED_USERS",
    description: "Comma-separated user ids or emails allowed to use the server (others get 403); an email counts only when the sign-in provider verified it.",
    example: "ada@example.com,user_01H…",
    default: "everyone who signs in",
  },
  {
    name: "ALLOWED_EMAIL_DOMAINS",
    description: "Comma-separated email domains whose people may use the server (verified emails only; the domain is what follows the last @).",
    example: "example.com",
    default: "everyone who signs in",
  },
  {
    name: "ALLOWED_ORGS",
    description: "Comma-separated organization ids whose members may use the server.",
    example: "org_01H…",
    default: "everyone who signs in",
  },
  RETENTION_DAYS,
];


/** Packs with a consequential tool: which tools ask the person first, and the key that signs the pending call. */
export const CONFIRMATION_SETTINGS: readonly SettingConfig[] = [
  {
    name: "CONFIRM_TOOLS",
    description:
      "Comma-separated tools that run only once the person confirmed the exact call (asked through their MCP client, or on this server's confirmation page in proxy mode); `none` turns confirmation off.",
    example: "order_shirt",
    default: "the tools marked consequential (order_shirt)",
  },
  {
    name: "REQUEST_STATE_KEY",
    description: "Random key (32+ characters) that signs the pending call a person is asked to confirm, e.g. from `openssl rand -hex 32`; a development server makes one at start-up when unset.",
    example: "<openssl rand -hex 32>", // not a key: too short to be accepted if uncommented as it is
    default: "made at start-up in development; without it elsewhere, tools that need confirmation refuse",
    provision: { from: "generated" },
    secret: true,
  },
];

/** Direct mode: scopes every token must carry. */
export const REQUIRED_SCOPES: SettingConfig = {
  name: "REQUIRED_SCOPES",
  description: "Space- or comma-separated scopes every token must carry; a token without them gets 403 insufficient_scope.",
  example: "openid profile",
  default: "none",
};

/** Proxy mode's own OAuth server: its token lifetime and cookie key. */
export const PROXY_SETTINGS: readonly SettingConfig[] = [
  {
    name: "ACCESS_TOKEN_TTL",
    description: "Seconds (at least 60) this server's access tokens live; agents then use their refresh token (rotated on each use).",
    example: "3600",
    default: "3600",
  },
  {
    name: "COOKIE_ENCRYPTION_KEY",
    description: "Random key (32+ characters) that signs the consent and sign-in cookies, e.g. from `openssl rand -hex 32`.",
    example: "<openssl rand -hex 32>", // not a key: too short to be accepted if uncommented as it is
    default: "required",
    provision: { from: "generated" },
    secret: true,
  },
];

export const OAUTH_KV = { binding: "OAUTH_KV", description: "OAuth server state: registered clients, grants, hashed tokens and encrypted grant props." };

export const DATA_KV = { binding: "DATA_KV", description: "Orders and audit records, expiring after RETENTION_DAYS; listings across people read it." };
