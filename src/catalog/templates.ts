import type { TemplateConfig } from "./types.js";

export const authlessTemplate: TemplateConfig = {
  id: "authless",
  name: "Authless (no sign-in)",
  description: "Anyone can call it; every caller is anonymous and shares one state.",
  authModes: [],
  targets: ["workers", "node"],
  settings: { shared: [] },
};

export const TEMPLATES: readonly TemplateConfig[] = [authlessTemplate];
