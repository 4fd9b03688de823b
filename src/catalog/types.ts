export const AUTH_MODES = ["direct", "proxy"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

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
}

/** A Workers KV namespace the server binds (design.md §5); titled `<worker-name>-<binding>` when provisioned. */
export interface KvNamespaceConfig {
  binding: string;
  /** What it stores: shown in wrangler.jsonc and to the Deploy button. */
  description: string;
}

export interface TargetConfig {
  /** Flag value and folder name under templates/targets/. */
  id: string;
  name: string;
  /** Auth modes this target can run (proxy needs the Workers OAuth provider). */
  authModes: readonly AuthMode[];
  /** Auth mode used when a template with sign-in does not get --auth-mode. */
  defaultAuthMode: AuthMode;
  /** Settings only this target reads (e.g. HOST on Node). */
  settings: readonly SettingConfig[];
}

export interface TemplateConfig {
  /** Flag value and folder name under templates/auth/. */
  id: string;
  name: string;
  description: string;
  /** Empty for templates without sign-in (authless). */
  authModes: readonly AuthMode[];
  targets: readonly string[];
  /** Settings the template reads in every auth mode, and those of one mode only. */
  settings: { shared: readonly SettingConfig[] } & { readonly [mode in AuthMode]?: readonly SettingConfig[] };
  /** KV namespaces one auth mode needs on Workers (proxy mode: OAUTH_KV). */
  kvNamespaces?: { readonly [mode in AuthMode]?: readonly KvNamespaceConfig[] };
}

/** One MCP tool, as the generated README's table describes it. */
export interface ToolConfig {
  name: string;
  summary: string;
  /** The permission the tool checks, if any (a missing one is a tool error naming it). */
  permission?: string;
  /** What it keeps and for how long; "nothing" for read-only tools. */
  stores: string;
}

export interface ToolPackConfig {
  /** Flag value (--tools) and folder name under templates/tools/. */
  id: string;
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
}

export interface Catalog {
  templates: readonly TemplateConfig[];
  targets: readonly TargetConfig[];
  tools: readonly ToolPackConfig[];
  defaults: {
    template: string;
    target: string;
    /** Packs pre-selected by -y and by the tools prompt. */
    tools: readonly string[];
    /** Packs used in non-interactive runs that do not pass --tools. */
    nonInteractiveTools: readonly string[];
  };
}
