import type { ProjectFacts, PlannedResource, ResourceKind, ResourceModule } from "./types.js";
import { generatedSecret } from "./generated-secret.js";
import { githubCallback } from "./github-callback.js";
import { kvNamespace } from "./kv-namespace.js";
import { worker } from "./worker.js";
import { workerSecret } from "./worker-secret.js";
import { workosAgent } from "./workos-agent.js";
import { workosApplication } from "./workos-application.js";
import { workosClientSecret } from "./workos-client-secret.js";
import { workosDcrCheck } from "./workos-dcr-check.js";
import { workosOauthResource } from "./workos-oauth-resource.js";
import { workosPermission } from "./workos-permission.js";
import { workosRedirectUri } from "./workos-redirect-uri.js";
import { workosRole } from "./workos-role.js";

/** Every resource kind, in the order the Plan lists them and provisioning works through them. */
const MODULES = [
  kvNamespace,
  workosApplication,
  workosClientSecret,
  workosRedirectUri,
  workosDcrCheck,
  workosOauthResource,
  githubCallback,
  workosPermission,
  workosRole,
  generatedSecret,
  worker,
  workerSecret,
  workosAgent,
] as const;

const BY_KIND = new Map<string, ResourceModule>(MODULES.map((m) => [m.kind, m as unknown as ResourceModule]));

/** The module of a kind; undefined for a kind this version does not know (a state file written by a newer one). */
export function resourceModule(kind: string): ResourceModule | undefined {
  return BY_KIND.get(kind);
}

/** The Plan's resources for a project. */
export function planResources(project: ProjectFacts): PlannedResource[] {
  return MODULES.flatMap((m) => m.plan(project) as PlannedResource[]);
}

/** Teardown order: lower first; kinds never recorded (or unknown) last. */
export function teardownRank(kind: ResourceKind | string): number {
  return resourceModule(kind)?.teardown ?? Number.MAX_SAFE_INTEGER;
}
