export const AUTH_MODES = ["direct", "proxy"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/**
 * The ids of the catalog's entries (flag values and folder names under templates/), as union types: an id mistyped in
 * TypeScript code is a compile error, and a catalog entry's id must be one of these. Each has exactly one entry (checked
 * at load, see validate.ts). Input from people (flags, prompts) stays a string until validated against the catalog.
 */
export const TEMPLATE_IDS = ["authless", "workos", "oidc", "github"] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];
export const TARGET_IDS = ["workers", "node"] as const;
export type TargetId = (typeof TARGET_IDS)[number];
export const TOOL_PACK_IDS = ["whoami", "shop", "demo-mode", "audit", "admin"] as const;
export type ToolPackId = (typeof TOOL_PACK_IDS)[number];

/** One environment setting a generated server reads; drives .dev.vars.example / .env.example, the Deploy button's
 * descriptions, what `npm run dev` forwards to wrangler, wrangler's `secrets.required` and the README table. */
export interface SettingConfig {
  /** Environment name, e.g. "AUTHKIT_DOMAIN". */
  name: string;
  /** One line: what it does and what happens when it is unset. */
  description: string;
  /** A realistic value, shown commented out in the example files. */
  example: string;
  /** What applies when it is unset, for the README table. */
  default: string;
  /** Secrets go to `wrangler secret put` / the secret store, never into wrangler.jsonc "vars". */
  secret?: boolean;
  /**
   * How `create-mcp-auth provision` fills it in: copied from the environment the CLI runs in (asked for when interactive;
   * `optional` ones only when set), or generated once (random, 32 bytes as hex) and reused on every rerun.
   */
  provision?: { from: "environment"; optional?: boolean } | { from: "generated" };
}

/** What provisioning makes or checks at an identity provider for one auth mode. */
export type ProviderResourceConfig =
  | {
      /** The server's own OAuth application (first-party), through which people sign in (proxy mode). */
      kind: "workos.oauth_application";
      /** Settings that receive its client id (a plain var) and client secret (a secret). */
      clientIdSetting: string;
      clientSecretSetting: string;
      /** Path on the server's origin registered as a redirect URI, for local development and once deployed. */
      callbackPath: string;
      /**
       * The alternative chosen with `--workos-client environment`: no application; people sign in through the environment's
       * AuthKit client (its id in this setting), whose redirect URIs (/user_management/redirect_uris) get `callbackPath`.
       */
      environmentClientIdSetting: string;
    }
  | {
      /** Direct mode: Dynamic Client Registration has no API; provisioning prints the one manual step and detects it. */
      kind: "workos.dcr_check";
    }
  | {
      /** Direct mode: the AuthKit Resource Indicator, set to the deployed server's URL + `path` after deploy. */
      kind: "workos.oauth_resource";
      path: string;
    }
  | {
      /** GitHub has no API for an OAuth app's callback URL: after a deploy, the one manual step names `<url><callbackPath>`. */
      kind: "github.callback_url";
      callbackPath: string;
    };

/** Proxy mode's WorkOS sign-in: the server's own OAuth application (default) or the environment's AuthKit client. */
export const WORKOS_CLIENTS = ["app", "environment"] as const;
export type WorkosClient = (typeof WORKOS_CLIENTS)[number];

export interface ProvisioningConfig {
  /** Whose API provisioning calls (WorkOS: the chosen packs' permissions and roles are created there too). */
  provider: "workos" | "github";
  resources: { readonly [mode in AuthMode]?: readonly ProviderResourceConfig[] };
}

/** An environment role a tool pack declares, with the permissions it grants. */
export interface RoleConfig {
  slug: string;
  name: string;
  description: string;
  permissions: readonly string[];
}

/** A Workers KV namespace the server binds; titled `<worker-name>-<binding>` when provisioned. */
export interface KvNamespaceConfig {
  binding: string;
  /** What it stores: shown in wrangler.jsonc and to the Deploy button. */
  description: string;
}

export interface TargetConfig {
  /** Flag value and folder name under templates/targets/. */
  id: TargetId;
  name: string;
  /** One line for the target prompt: where it runs and what it allows. */
  description: string;
  /** The oldest Node.js the generated project runs on: its package.json `engines` and README say the same. */
  minimumNode: string;
  /** Auth modes this target can run (proxy needs the Workers OAuth provider). */
  authModes: readonly AuthMode[];
  /** Auth mode used when a template with sign-in does not get --auth-mode. */
  defaultAuthMode: AuthMode;
  /** Settings only this target reads (e.g. HOST on Node). */
  settings: readonly SettingConfig[];
}

export interface TemplateConfig {
  /** Flag value and folder name under templates/auth/. */
  id: TemplateId;
  name: string;
  description: string;
  /** Empty for templates without sign-in (authless). */
  authModes: readonly AuthMode[];
  targets: readonly TargetId[];
  /** Why it runs on fewer targets than the catalog has: shown at the target prompt and when another target is asked for. */
  targetsNote?: string;
  /** Settings the template reads in every auth mode, and those of one mode only. */
  settings: { shared: readonly SettingConfig[] } & { readonly [mode in AuthMode]?: readonly SettingConfig[] };
  /** KV namespaces one auth mode needs on Workers (proxy mode: OAUTH_KV). */
  kvNamespaces?: { readonly [mode in AuthMode]?: readonly KvNamespaceConfig[] };
  /** What `create-mcp-auth provision` creates at the sign-in provider; absent for templates without one (authless). */
  provisioning?: ProvisioningConfig;
  /**
   * The provider issues client-credentials JWTs to agents without a person (WorkOS M2M applications): proxy mode accepts
   * them beside its own tokens. (Direct mode checks whatever its issuer signs.)
   */
  machineTokens?: true;
}

/** One MCP tool, as the generated README's table describes it. */
export interface ToolConfig {
  name: string;
  summary: string;
  /** The permission the tool checks, if any (a missing one is a tool error naming it). */
  permission?: string;
  /** What it keeps and for how long; "nothing" for read-only tools. */
  stores: string;
  /** Consequential: it runs only once the person confirmed the exact call (its ToolDef's `confirm` asks; CONFIRM_TOOLS). */
  confirm?: true;
}

export interface ToolPackConfig {
  /** Flag value (--tools) and folder name under templates/tools/. */
  id: ToolPackId;
  name: string;
  /** MCP tool names the pack registers. */
  tools: readonly ToolConfig[];
  needs: {
    /** The pack only works with these auth modes; absent means any, authless included. */
    authModes?: readonly AuthMode[];
    /** Permissions the pack's tools check (WorkOS roles or OIDC scopes). */
    permissions: readonly string[];
  };
  /** Settings the pack's tools read. */
  settings: readonly SettingConfig[];
  /** KV namespaces the pack's records need on Workers. */
  kvNamespaces?: readonly KvNamespaceConfig[];
  /** Environment roles provisioning creates (with their permissions) where the provider has roles (WorkOS). */
  roles?: readonly RoleConfig[];
}

export interface Catalog {
  templates: readonly TemplateConfig[];
  targets: readonly TargetConfig[];
  tools: readonly ToolPackConfig[];
  defaults: {
    template: TemplateId;
    target: TargetId;
    /** Packs pre-selected by -y and by the tools prompt. */
    tools: readonly ToolPackId[];
    /** Packs used in non-interactive runs that do not pass --tools. */
    nonInteractiveTools: readonly ToolPackId[];
  };
}
