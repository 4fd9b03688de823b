/**
 * Every dependency a generated project may have, pinned in one place (a set checked to install together on Node 24
 * without peer-dependency errors). Templates ask for them with {{version "<package>"}}; an unknown name fails the render.
 */
export const VERSIONS = {
  "@modelcontextprotocol/server": "^2.4.0",
  "@modelcontextprotocol/client": "^2.4.0",
  "@cloudflare/workers-oauth-provider": "^1.2.3",
  hono: "^4.13.19",
  jose: "^6.2.18",
  "@hono/node-server": "^2.1.9",
  zod: "^4.6.7",
  tsx: "^4.23.15",
  redis: "^6.3.1",
  wrangler: "^4.164.0",
  "@cloudflare/workers-types": "^5.20261117.1",
  "@types/node": "^22.13.0",
  typescript: "^7.0.2",
  vitest: "^4.1.12",
} as const;

export type PackageWithVersion = keyof typeof VERSIONS;

/** Workers compatibility date written into wrangler.jsonc; workerd in the pinned wrangler supports it. */
export const COMPATIBILITY_DATE = "2026-10-01";
