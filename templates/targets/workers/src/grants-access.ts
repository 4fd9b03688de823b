import type { Context } from "hono";
import type { AppEnv } from "./app.js";
import type { GrantsAccess } from "./tools/types.js";

/** Without proxy mode this server issues no grants (modes/proxy replaces this file). */
export function grantsFor(_c: Context<AppEnv>): GrantsAccess | undefined {
  return undefined;
}
