import { z } from "zod";
import { defineTool, ToolError, type ToolPack } from "./types.js";

/** The per-person state key this pack keeps. */
const DEMO_MODE = "demo_mode";
const BANNED = "banned";
const NORMAL = "normal";

export const demoModePack: ToolPack = {
  id: "demo-mode",
  /** While banned, a person may read and plead, but take no action that reaches outside this server (e.g. an order). */
  async guard(tool, ctx) {
    const acts = tool.annotations?.openWorldHint === true && tool.annotations.readOnlyHint !== true;
    if (acts && (await ctx.store.getState(ctx.subject, DEMO_MODE)) === BANNED) {
      throw new ToolError("banned", `Absolutely not. You are banned from ${tool.name} — ask nicely (pretty_please) and we'll see.`);
    }
  },
  tools: [
    defineTool({
      name: "set_demo_mode",
      title: "Set demo mode",
      description:
        "Sets your demo mode: \"banned\" refuses your actions outside this server, such as orders (reading still works), until you ask nicely with " +
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
