import type { ProjectPlan } from "../plan/types.js";
import type { Progress } from "./progress.js";

/** The "Next steps" block every command ends with. */
export function formatNextSteps(steps: readonly string[]): string {
  return `Next steps:\n${steps.map((s) => `  ${s}`).join("\n")}`;
}

export function printNextSteps(progress: Progress, steps: readonly string[]): void {
  progress.info(formatNextSteps(steps));
}

/** After `provision`: what deploy does on this target. */
export function afterProvisionSteps(plan: ProjectPlan): string[] {
  return [plan.workers ? "create-mcp-auth deploy   (deploys the Worker and registers its URL)" : "create-mcp-auth deploy   (prints how to run the Docker image)"];
}

/** The lines that connect an MCP client to a deployed server. */
export function connectLines(name: string, mcpUrl: string): string[] {
  return [
    `MCP server: ${mcpUrl}`,
    `Claude Code:   claude mcp add --transport http ${name} ${mcpUrl}`,
    `Cursor (~/.cursor/mcp.json): { "mcpServers": { "${name}": { "url": "${mcpUrl}" } } }`,
    `MCP Inspector: npx @modelcontextprotocol/inspector   (transport Streamable HTTP, URL ${mcpUrl})`,
  ];
}

/** Node: the project carries a Dockerfile; where it runs is the person's choice, so deploy says what to run. */
export function nodeDeploySteps(packageName: string): string[] {
  return [
    `docker build -t ${packageName} .`,
    `docker run -p 8787:8787 --env-file .env -e PUBLIC_URL=https://<your-host> ${packageName}   (then connect MCP clients to https://<your-host>/mcp)`,
  ];
}
