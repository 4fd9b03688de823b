import type { Context } from "hono";
import type { AppEnv } from "./app.js";
import { listGrants, revokeGrant } from "./grants.js";
import type { GrantsAccess } from "../tools/types.js";

/** The grants this server's OAuth provider has issued, for the admin pack. */
export function grantsFor(c: Context<AppEnv>): GrantsAccess {
  return {
    list: (userId) => listGrants(c.env, userId),
    revoke: (userId, grantId) => revokeGrant(c.env, userId, grantId),
  };
}
