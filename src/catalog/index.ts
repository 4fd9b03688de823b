import { TARGETS } from "./targets.js";
import { TEMPLATES } from "./templates.js";
import { TOOL_PACKS } from "./tools.js";
import type { AuthMode, Catalog, ProviderResourceConfig, TemplateConfig, TemplateId, ToolPackId } from "./types.js";
import { assertValidCatalog } from "./validate.js";

export type {
  AuthMode,
  Catalog,
  KvNamespaceConfig,
  ProviderResourceConfig,
  ProvisioningConfig,
  RoleConfig,
  SettingConfig,
  TargetConfig,
  TargetId,
  TemplateConfig,
  TemplateId,
  ToolPackConfig,
  ToolPackId,
  WorkosClient,
} from "./types.js";
export { BASE_SETTINGS, DATA_KV, RETENTION_DAYS, SIGN_IN_SETTINGS } from "./settings.js";
export { LOCAL_ORIGIN } from "./targets.js";
export { AUTH_MODES, TARGET_IDS, TEMPLATE_IDS, TOOL_PACK_IDS, WORKOS_CLIENTS } from "./types.js";
export { AUTH_MODE_DESCRIPTIONS } from "./auth-modes.js";

/** What the template's provider provisioning says about one kind of resource in this auth mode, if anything. */
export function providerResource<K extends ProviderResourceConfig["kind"]>(template: TemplateConfig, authMode: AuthMode | null, kind: K) {
  if (!authMode) return undefined;
  return template.provisioning?.resources[authMode]?.find((r): r is Extract<ProviderResourceConfig, { kind: K }> => r.kind === kind);
}

/** The sign-in application a template provisions in this auth mode (proxy mode's upstream), if any. */
export function signInApplication(template: TemplateConfig, authMode: AuthMode | null) {
  return providerResource(template, authMode, "workos.oauth_application");
}

/** The defaults the README lists, limited to what the catalog has built (workos and shop join when they exist). */
const preferredTemplate = (["workos", "authless"] as const satisfies TemplateId[]).find((id) => TEMPLATES.some((t) => t.id === id)) ?? "authless";
const presentPacks = (ids: ToolPackId[]) => ids.filter((id) => TOOL_PACKS.some((p) => p.id === id));

export const catalog: Catalog = assertValidCatalog({
  templates: TEMPLATES,
  targets: TARGETS,
  tools: TOOL_PACKS,
  defaults: {
    template: preferredTemplate,
    target: "workers",
    tools: presentPacks(["whoami", "shop"]),
    nonInteractiveTools: presentPacks(["whoami"]),
  },
});

/** The `--list --json` shape the README documents. */
export function catalogListing(c: Catalog = catalog) {
  return {
    templates: c.templates.map((t) => ({
      id: t.id,
      name: t.name,
      authModes: [...t.authModes],
      targets: [...t.targets],
    })),
    targets: c.targets.map((t) => ({ id: t.id, name: t.name })),
    tools: c.tools.map((p) => ({
      id: p.id,
      name: p.name,
      tools: p.tools.map((t) => t.name),
      needs: {
        ...(p.needs.authModes ? { authModes: [...p.needs.authModes] } : {}),
        permissions: [...p.needs.permissions],
      },
    })),
  };
}
