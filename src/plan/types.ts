import type { AuthMode, KvNamespaceConfig, RoleConfig, SettingConfig, TargetId, TemplateConfig, TemplateId, ToolPackConfig, ToolPackId, WorkosClient } from "../catalog/index.js";
import type { ProjectChoices, RunChoices } from "../options/types.js";
import type { PackageManagerName } from "../options/validate.js";

/** What Handlebars templates see (names documented in templates/README.md). */
export interface TemplateContext {
  name: string;
  title: string;
  template: TemplateId;
  templateName: string;
  target: TargetId;
  workers: boolean;
  node: boolean;
  authMode: AuthMode | null;
  /** The template has sign-in (false for authless). */
  signIn: boolean;
  direct: boolean;
  proxy: boolean;
  tools: ToolPackId[];
  /** The project records every call (every template with sign-in; authless only with the audit pack). */
  auditTrail: boolean;
  /** Records (orders, audit entries) are stored, expiring after RETENTION_DAYS. */
  keepsRecords: boolean;
  /** The plain settings the packs (and the audit trail) read through `ctx.setting`. */
  toolSettingNames: string[];
  /** The permissions the chosen packs' tools check, in catalog order. */
  permissions: string[];
  /** Every environment setting the server reads, base first; the name lists split them into plain vars and secrets. */
  settings: SettingConfig[];
  settingNames: string[];
  varNames: string[];
  secretNames: string[];
  /** Secrets the server reads when set but can run without (not in `secrets.required`; the dev script binds them). */
  optionalSecretNames: string[];
  /** The settings sign-in cannot work without on this path (what `create-mcp-auth provision` fills in); empty in authless. */
  signInSettingNames: string[];
  /** wrangler.jsonc `secrets.required`: the secrets the chosen sign-in path needs (wrangler refuses a deploy without them). */
  requiredSecretNames: string[];
  /** Proxy mode with WorkOS: "environment" when people sign in through the environment's AuthKit client; else null. */
  workosClient: WorkosClient | null;
  /** The README's tool table: every tool of the chosen packs. */
  toolRows: { name: string; file: string; summary: string; permission: string; stores: string }[];
  /** Workers only: KV namespaces to bind (empty on Node). */
  kvNamespaces: KvNamespaceConfig[];
  /** Workers only: what package.json `cloudflare.bindings` describes to the Deploy button (settings and KV). */
  cloudflareBindings: { name: string; description: string }[];
  packageManager: { name: PackageManagerName; install: string; run: string };
  cliVersion: string;
  compatibilityDate: string;
}

export interface PlannedFile {
  /** Path inside the project, "/"-separated. */
  path: string;
  /** Path under templates/. */
  source: string;
  /** Rendered with Handlebars (a .hbs source) or copied as is. */
  render: boolean;
}

export const STEP_NAMES = ["render", "install", "provision", "git", "deploy"] as const;
export type StepName = (typeof STEP_NAMES)[number] | "destroy";

export interface PlannedStep {
  name: StepName;
  run: boolean;
  /** Why a step will not run. */
  reason?: string;
}

/** What every entry of the Plan's resource list says about itself. */
interface Planned<K extends string> {
  kind: K;
  /** The stable name it is found by; `<url>` stands for the deployed origin where that is not known yet. */
  name: string;
  provider: "cloudflare" | "workos" | "github" | "local";
  /** Made by `provision`, or only once deployed (it needs the Worker or its URL). */
  stage: "provision" | "deploy";
  /** One line for the list shown before asking and by --dry-run. */
  description: string;
}

export type KvNamespaceResource = Planned<"cloudflare.kv_namespace"> & { binding: string };
export type WorkerResource = Planned<"cloudflare.worker">;
export type WorkerSecretResource = Planned<"cloudflare.worker_secret"> & { required: boolean };
export type ApplicationResource = Planned<"workos.oauth_application"> & { clientIdSetting: string; clientSecretSetting: string };
export type ClientSecretResource = Planned<"workos.client_secret"> & { setting: string };
/** A redirect URI of the server's own application, or of the environment's AuthKit client (`--workos-client environment`). */
export type RedirectUriResource = Planned<"workos.redirect_uri"> & { owner: "application" | "environment" };
export type PermissionResource = Planned<"workos.permission"> & { purpose: string };
export type RoleResource = Planned<"workos.role"> & { role: RoleConfig };
export type DcrCheckResource = Planned<"workos.dcr_check"> & { domainSetting: string };
export type OauthResourceResource = Planned<"workos.oauth_resource">;
export type GithubCallbackResource = Planned<"github.callback_url">;
export type GeneratedSecretResource = Planned<"generated_secret">;
/** An agent acting for no person (WorkOS machine-to-machine application): added by `agents add`, never by the catalog. */
export type AgentResource = Planned<"workos.m2m_application"> & { organizationId: string; scopes: string[] };

export type PlannedResource =
  | KvNamespaceResource
  | WorkerResource
  | WorkerSecretResource
  | ApplicationResource
  | ClientSecretResource
  | RedirectUriResource
  | PermissionResource
  | RoleResource
  | DcrCheckResource
  | OauthResourceResource
  | GithubCallbackResource
  | GeneratedSecretResource
  | AgentResource;

/** Every kind of resource the Plan lists (the `kind` of `--json` resources and of the state file's entries). */
export type ResourceKind = PlannedResource["kind"];

/**
 * A project as every command sees it: create builds it from the options, provision / deploy / destroy from the package.json
 * stamp (`planFromStamp`). Pure data: no credentials, no secrets.
 */
export interface ProjectPlan {
  project: ProjectChoices;
  template: TemplateConfig;
  packs: ToolPackConfig[];
  /** Every environment setting the server reads. */
  settings: SettingConfig[];
  /** Workers only: the KV namespaces it binds. */
  kvNamespaces: KvNamespaceConfig[];
  secrets: {
    /** What this sign-in path cannot run without (wrangler.jsonc `secrets.required`). */
    required: string[];
    /** What it reads when set (uploaded with a deploy only then). */
    optional: string[];
  };
  workers: boolean;
  /** Every cloud resource, in the order provisioning finds or creates them. */
  resources: PlannedResource[];
}

/** Everything a create run will do. */
export interface Plan extends ProjectPlan {
  run: RunChoices;
  context: TemplateContext;
  /** Template layers in the order they are applied; later layers replace same-named files. */
  layers: string[];
  files: PlannedFile[];
  /** Handlebars partials (a layer's partials/<name>.hbs, later layers winning), usable as {{> name}} in any template. */
  partials: { name: string; source: string }[];
  steps: PlannedStep[];
  nextSteps: string[];
}
