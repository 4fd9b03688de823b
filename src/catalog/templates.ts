import { OAUTH_KV, PROXY_SETTINGS, REQUIRED_SCOPES } from "./settings.js";
import type { TemplateConfig } from "./types.js";

export const authlessTemplate: TemplateConfig = {
  id: "authless",
  name: "Authless (no sign-in)",
  description: "Anyone can call it; every caller is anonymous and shares one state.",
  authModes: [],
  targets: ["workers", "node"],
  settings: { shared: [] },
};

export const workosTemplate: TemplateConfig = {
  id: "workos",
  name: "WorkOS AuthKit",
  description: "People sign in with AuthKit; the server knows who, their organization, role and permissions, and which agent.",
  authModes: ["direct", "proxy"],
  targets: ["workers", "node"],
  machineTokens: true,
  provisioning: {
    provider: "workos",
    resources: {
      direct: [{ kind: "workos.dcr_check" }, { kind: "workos.oauth_resource", path: "/mcp" }],
      proxy: [
        {
          kind: "workos.oauth_application",
          clientIdSetting: "WORKOS_APP_CLIENT_ID",
          clientSecretSetting: "WORKOS_APP_CLIENT_SECRET",
          callbackPath: "/callback",
          environmentClientIdSetting: "WORKOS_CLIENT_ID",
        },
        // The audience of agents' client-credentials tokens (`agents add`), which /mcp accepts beside its own.
        { kind: "workos.oauth_resource", path: "/mcp" },
      ],
    },
  },
  kvNamespaces: { proxy: [OAUTH_KV] },
  settings: {
    shared: [
      {
        name: "AUTHKIT_DOMAIN",
        description: "Your AuthKit domain (WorkOS dashboard → Connect → Configuration); a bare host means https://, a full URL is used as given.",
        example: "acme-123.authkit.app",
        default: "required",
        provision: { from: "environment" },
      },
      {
        name: "WORKOS_API_KEY",
        description: "WorkOS API key (dashboard → API Keys), used to look up a person's email and name when the token carries none.",
        example: "sk_test_…",
        default: "unset: people are known by user id only",
        provision: { from: "environment" },
        secret: true,
      },
      {
        name: "WORKOS_API_HOSTNAME",
        description: "WorkOS API host[:port], for staging or a local stand-in (plain http only for localhost / 127.0.0.1).",
        example: "api.workos.com",
        default: "api.workos.com",
        provision: { from: "environment", optional: true },
      },
    ],
    direct: [
      {
        name: "WORKOS_AUDIENCE",
        description: "The audience AuthKit puts in access tokens: set the dashboard's Resource Indicator to exactly this server's /mcp URL, or set this to what it is.",
        example: "https://mcp.example.com/mcp",
        default: "this server's /mcp URL",
      },
      REQUIRED_SCOPES,
    ],
    proxy: [
      {
        name: "WORKOS_APP_CLIENT_ID",
        description: "Client ID of this server's own WorkOS OAuth application (redirect URI: this server's origin + /callback), through which people sign in.",
        example: "client_01J…",
        default: "required",
      },
      {
        name: "WORKOS_APP_CLIENT_SECRET",
        description: "Client secret of that WorkOS OAuth application.",
        example: "…",
        default: "required",
        secret: true,
      },
      {
        name: "WORKOS_CLIENT_ID",
        description: "Only without WORKOS_APP_CLIENT_ID: sign people in with the environment's own AuthKit client (dashboard → API Keys) through the user-management API; needs WORKOS_API_KEY.",
        example: "client_01J…",
        default: "unset: the OAuth application above is used",
      },
      ...PROXY_SETTINGS,
    ],
  },
};

export const oidcTemplate: TemplateConfig = {
  id: "oidc",
  name: "Generic OIDC (Auth0, Okta, Keycloak, …)",
  description: "Any OpenID Connect issuer is the authorization server; the server checks its JWT access tokens, and scopes grant permissions.",
  authModes: ["direct"],
  targets: ["workers", "node"],
  settings: {
    shared: [
      {
        name: "OIDC_ISSUER",
        description: "The issuer URL exactly as in its tokens' `iss` (its /.well-known/openid-configuration names the signing keys); plain http only for localhost / 127.0.0.1.",
        example: "https://acme.eu.auth0.com/",
        default: "required",
        provision: { from: "environment" },
      },
    ],
    direct: [
      {
        name: "OIDC_AUDIENCE",
        description: "The audience the issuer puts in access tokens for this server (an Auth0 API identifier, a Keycloak client…).",
        example: "https://mcp.example.com/mcp",
        default: "this server's /mcp URL",
        provision: { from: "environment", optional: true },
      },
      REQUIRED_SCOPES,
    ],
  },
};

export const githubTemplate: TemplateConfig = {
  id: "github",
  name: "GitHub",
  description: "People sign in with GitHub through this server's own OAuth server; tools know their GitHub account and which agent.",
  authModes: ["proxy"],
  targets: ["workers"],
  targetsNote:
    "GitHub runs on Workers only: GitHub cannot be the OAuth server MCP clients sign in with, so this server is its own (proxy mode), which needs the Workers OAuth provider",
  kvNamespaces: { proxy: [OAUTH_KV] },
  provisioning: { provider: "github", resources: { proxy: [{ kind: "github.callback_url", callbackPath: "/callback" }] } },
  settings: {
    shared: [],
    proxy: [
      {
        name: "GITHUB_CLIENT_ID",
        description: "Client ID of your GitHub OAuth app (github.com → Settings → Developer settings → OAuth Apps; callback URL: this server's origin + /callback).",
        example: "Ov23li…",
        default: "required",
        provision: { from: "environment" },
      },
      {
        name: "GITHUB_CLIENT_SECRET",
        description: "A client secret of that GitHub OAuth app.",
        example: "…",
        default: "required",
        provision: { from: "environment" },
        secret: true,
      },
      {
        name: "GITHUB_ADMINS",
        description: "Comma-separated numeric GitHub account ids (not logins, which can change hands; https://api.github.com/users/<login> shows the id) that hold every permission the tools check; takes effect at their next token refresh.",
        example: "583231,7654321",
        default: "nobody",
      },
      {
        name: "GITHUB_URL",
        description: "GitHub's web origin, for GitHub Enterprise Server (or a local stand-in: plain http only for localhost / 127.0.0.1).",
        example: "https://github.example.com",
        default: "https://github.com",
        provision: { from: "environment", optional: true },
      },
      {
        name: "GITHUB_API_URL",
        description: "GitHub's REST API origin (GitHub Enterprise Server: https://<host>/api/v3).",
        example: "https://github.example.com/api/v3",
        default: "https://api.github.com",
        provision: { from: "environment", optional: true },
      },
      ...PROXY_SETTINGS,
    ],
  },
};

export const TEMPLATES: readonly TemplateConfig[] = [authlessTemplate, workosTemplate, oidcTemplate, githubTemplate];
