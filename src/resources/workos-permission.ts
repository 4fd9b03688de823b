import type { PermissionResource, ResourceModule } from "./types.js";

/** A WorkOS permission the chosen packs' tools check. */
export const workosPermission: ResourceModule<PermissionResource> = {
  kind: "workos.permission",
  plan: (project) => {
    if (project.template.provisioning?.provider !== "workos" || !project.project.authMode) return [];
    const slugs = [...new Set(project.packs.flatMap((p) => p.needs.permissions))];
    return slugs.map((slug) => ({
      kind: "workos.permission",
      name: slug,
      purpose: `Checked by the ${project.packs.find((p) => p.needs.permissions.includes(slug))!.id} tools of ${project.project.packageName}.`,
      provider: "workos",
      stage: "provision",
      description: `WorkOS permission ${slug}`,
    }));
  },
  async provision(run, resource) {
    await run.access.workos!.api.ensurePermission(run.ledger, resource.name, resource.purpose);
    run.progress.done(`WorkOS permission ${resource.name}`);
  },
  // After the roles that grant it.
  teardown: 60,
  async remove(run, recorded) {
    await run.access.workos!.api.deletePermission(recorded.name);
  },
};
