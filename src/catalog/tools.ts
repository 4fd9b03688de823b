import type { ToolPackConfig } from "./types.js";

export const whoamiTool: ToolPackConfig = {
  id: "whoami",
  name: "Who am I: the signed-in person, organization, role, permissions and acting agent",
  tools: ["whoami"],
  needs: { permissions: [] },
  settings: [],
};

export const TOOL_PACKS: readonly ToolPackConfig[] = [whoamiTool];
