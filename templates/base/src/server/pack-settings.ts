import type { Context } from "hono";
import type { AppEnv } from "./app.js";
import type { Env } from "./settings.js";
import { settingNames } from "../tools/index.js";

/** The plain settings the packs declare (src/tools/index.ts), and no other, from the environment `env`. */
export const packSettingOf = (env: Env) => (name: string) => (settingNames.includes(name) ? env[name] : undefined);

/** The packs' settings for this request. */
export const packSetting = (c: Context<AppEnv>) => packSettingOf(c.env);
