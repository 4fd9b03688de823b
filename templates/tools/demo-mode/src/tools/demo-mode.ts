import { z } from "zod";
import { BANNED, DEMO_MODE, NORMAL } from "../policy/demo-mode.js";
import { defineTool, type ToolPack } from "./types.js";

export const demoModePack: ToolPack = {
  id: "demo-mode",
  tools: [
    defineTool({
      name: "set_demo_mode",
      title: "Set demo mode",
      description:
        "Sets your demo mode: \"banned\" refuses your shirt orders (reading still works) until you ask nicely with " +
        "pretty_please; \"normal\" lifts it. It is kept per person, across sessions and agents.",
      inputSchema: { mode: z.enum([NORMAL, BANNED]) },
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
      async run({ mode }, ctx) {
        await ctx.store.setState(ctx.subject, DEMO_MODE, mode);
        return { mode, message: mode === BANNED ? "You are banned from ordering. Ask nicely to be let back in." : "Back to normal." };
      },
    }),
    defineTool({
      name: "pretty_please",
      title: "Pretty please",
      description: "Asks nicely to be let back in after a ban.",
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
      async run(_args, ctx) {
        const was = await ctx.store.getState(ctx.subject, DEMO_MODE);
        await ctx.store.setState(ctx.subject, DEMO_MODE, NORMAL);
        return { mode: NORMAL, message: was === BANNED ? "Oh, alright. Since you asked so nicely, you may order again." : "You were not banned, but thanks for asking." };
      },
    }),
  ],
};
