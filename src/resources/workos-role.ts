import type { ResourceModule, RoleResource } from "./types.js";

/** A WorkOS environment role a pack declares, granting its permissions. */
export const workosRole: ResourceModule<RoleResource> = {
  kind: "workos.role",
  plan: (project) => {
    if (project.template.provisioning?.provider !== "workos" || !project.project.authMode) return [];
    const roles = project.packs.flatMap((p) => p.roles ?? []).filter((role, i, all) => all.findIndex((r) => r.slug === role.slug) === i);
    return roles.map((role) => ({
      kind: "workos.role",
      name: role.slug,
      role,
      provider: "workos",
      stage: "provision",
      description: `WorkOS role ${role.slug} (${role.permissions.join(", ")})`,
    }));
  },
  async provision(run, resource) {
    await run.access.workos!.api.ensureRole(run.ledger, resource.role);
    run.progress.done(`WorkOS role ${resource.name}`);
  },
  teardown: 50,
  async remove(run, recorded) {
    await run.access.workos!.api.deleteRole(recorded.name);
  },
};
