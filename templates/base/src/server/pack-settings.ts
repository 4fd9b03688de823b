import type { Context } from "hono";
import type { AppEnv } from "./app.js";
import { settingNames } from "../tools/index.js";

/** The plain settings the packs declare (src/tools/index.ts), and no other. */
export const packSetting = (c: Context<AppEnv>) => (name: string) => (settingNames.includes(name) ? c.env[name] : undefined);
