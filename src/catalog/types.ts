export const AUTH_MODES = ["direct", "proxy"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface TargetConfig {
  /** Flag value and folder name under templates/targets/. */
  id: string;
  name: string;
  /** Auth modes this target can run (proxy needs the Workers OAuth provider). */
  authModes: readonly AuthMode[];
  /** Auth mode used when a template with sign-in does not get --auth-mode. */
  defaultAuthMode: AuthMode;
}

export interface TemplateConfig {
  /** Flag value and folder name under templates/auth/. */
  id: string;
  name: string;
  description: string;
  /** Empty for templates without sign-in (authless). */
  authModes: readonly AuthMode[];
  targets: readonly string[];
}

export interface ToolPackConfig {
  /** Flag value (--tools) and folder name under templates/tools/. */
  id: string;
  name: string;
  /** MCP tool names the pack registers. */
  tools: readonly string[];
  needs: {
    /** The pack only works with these auth modes; absent means any, authless included. */
    authModes?: readonly AuthMode[];
    /** Permissions the pack's tools check (WorkOS roles or OIDC scopes). */
    permissions: readonly string[];
  };
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
