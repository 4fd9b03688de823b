import type { CloudAccess } from "../options/cloud-access.js";
import type { ApplicationResource, ClientSecretResource, DcrCheckResource, GeneratedSecretResource, GithubCallbackResource, KvNamespaceResource, OauthResourceResource, PermissionResource, PlannedResource, ProjectPlan, RedirectUriResource, RoleResource, WorkerResource, WorkerSecretResource } from "../plan/types.js";
export type { ApplicationResource, ClientSecretResource, DcrCheckResource, GeneratedSecretResource, GithubCallbackResource, KvNamespaceResource, OauthResourceResource, PermissionResource, RedirectUriResource, RoleResource, WorkerResource, WorkerSecretResource };
import type { Progress } from "../report/progress.js";
import type { RunResult } from "../report/result.js";
import type { Ledger } from "../cloud/find-or-create.js";
import type { StateResource } from "../cloud/state.js";
import type { WorkosApplicationInfo } from "../cloud/workos.js";

export type { PlannedResource, ResourceKind } from "../plan/types.js";

/** The Plan as a resource module sees it while it lists its resources (everything but the list itself). */
export type ProjectFacts = Omit<ProjectPlan, "resources">;

/** One provision, deploy or destroy run: the Plan, the clouds' clients, the state file, and where output goes. */
export interface CloudRun {
  plan: ProjectPlan;
  access: CloudAccess;
  ledger: Ledger;
  progress: Progress;
  result: RunResult;
  /** What the application's module learned, for its redirect URIs and client secret later in the same run. */
  application?: WorkosApplicationInfo & { action: "created" | "reused" };
}

/**
 * Everything about one kind of cloud resource: the Plan entries it adds for a project, how it is found or created, what it
 * does once the Worker is deployed, how it is removed, and its place in the teardown order. `provision`, `deploy`,
 * `destroy` and `--dry-run` all loop over the Plan (or, for destroy, the state file) and call these; none re-derives them.
 */
export interface ResourceModule<R extends PlannedResource = PlannedResource> {
  kind: R["kind"];
  plan(project: ProjectFacts): R[];
  /** Find-or-create during `provision` (deploy-stage resources may act here too once the state file knows the URL). */
  provision?(run: CloudRun, resource: R): Promise<void>;
  /** The deploy itself (the Worker): answers the deployed origin. */
  deploy?(run: CloudRun, resource: R): Promise<string>;
  /** What it does once the server is deployed at `url`. */
  afterDeploy?(run: CloudRun, resource: R, url: string): Promise<void>;
  /**
   * Teardown: lower goes first (what depends on something before what it depends on). Absent: never recorded in the
   * state file, so there is nothing to remove.
   */
  teardown?: number;
  /** Deletes what the state file recorded; absent when it goes with its owner (a Worker's secrets, an app's secret). */
  remove?(run: CloudRun, recorded: StateResource): Promise<void>;
  /** After the deletion, the project's files stop pointing at it. */
  forget?(plan: ProjectPlan, recorded: StateResource): void;
}

/** `<url>/callback` → `https://…/callback` once the origin is known; undefined until then. */
export function resolveUrl(name: string, url: string | null | undefined): string | undefined {
  if (!name.startsWith("<url>")) return name;
  return url ? `${url}${name.slice("<url>".length)}` : undefined;
}
