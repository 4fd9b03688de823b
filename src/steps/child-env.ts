import { BASE_SETTINGS, SIGN_IN_SETTINGS, type Catalog, type SettingConfig } from "../catalog/index.js";

/** The vendor credentials the CLI itself uses. */
export const CREDENTIAL_NAMES = ["CLOUDFLARE_API_TOKEN", "WORKOS_API_KEY"] as const;

/** Every credential and secret setting the CLI knows of: its own, and every secret a generated server reads. */
export function secretNames(catalog: Catalog): string[] {
  const settings: SettingConfig[] = [
    ...BASE_SETTINGS,
    ...SIGN_IN_SETTINGS,
    ...catalog.targets.flatMap((t) => t.settings),
    ...catalog.templates.flatMap((t) => Object.values(t.settings).flat()),
    ...catalog.tools.flatMap((p) => p.settings),
  ];
  return [...new Set([...CREDENTIAL_NAMES, ...settings.filter((s) => s.secret).map((s) => s.name)])];
}

/**
 * The environment for a child process (the package manager, git, wrangler): ours without any credential or secret the
 * CLI knows, so an install script or a git hook never sees them. `extra` adds what that one child needs.
 * Pass the result with execa's `extendEnv: false`.
 */
export function childEnv(catalog: Catalog, env: NodeJS.ProcessEnv, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const hidden = new Set(secretNames(catalog));
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !hidden.has(name.toUpperCase())));
  return { ...kept, ...extra };
}
