import type { Context } from "hono";
import type { AppEnv } from "./app.js";
import type { Store } from "./store/store.js";
import type { GrantsAccess } from "../tools/types.js";

/** What each target supplies to the shared app: where state lives and who is on the other end of the connection. */
export interface Platform {
  store(c: Context<AppEnv>): Store;
  /** The client's network address (quotas count per address when nobody signs in). */
  clientAddress(c: Context<AppEnv>): string;
  /**
   * This is a development server and the request comes from this machine (Workers: under `wrangler dev`; Node: not
   * NODE_ENV=production, listening on loopback, a loopback peer). Only then may the development sign-in answer.
   */
  localDevelopment(c: Context<AppEnv>): boolean;
  /** Grants people have given agents, where this server issues them (proxy mode). */
  grants?(c: Context<AppEnv>): GrantsAccess | undefined;
}
