import type { ResourceModule } from "./types.js";
import type { AgentResource } from "../plan/types.js";

/**
 * An agent that acts for no person: a WorkOS machine-to-machine application of one organization (client credentials).
 * Not derived from the catalog: `create-mcp-auth agents add` makes one and records it in the state file, `agents remove`
 * and `destroy` delete it.
 */
export const workosAgent: ResourceModule<AgentResource> = {
  kind: "workos.m2m_application",
  plan: () => [],
  teardown: 35,
  async remove(run, recorded) {
    await run.access.workos!.api.deleteApplication(recorded.id!, recorded.name);
  },
};

/** The name the agent's application has at WorkOS: the project's, then the agent's. */
export const agentApplicationName = (packageName: string, agent: string) => `${packageName} agent ${agent}`;
