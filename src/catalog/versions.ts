/**
 * Every dependency a generated project may have, pinned in one place (a set checked to install together on Node 24
 * without peer-dependency errors). Templates ask for them with {{version "<package>"}}; an unknown name fails the render.
 */
export const VERSIONS = {
  "@modelcontextprotocol/sdk": "1.32.2",
  hono: "^4.13.19",
  "@hono/node-server": "^2.1.8",
  zod: "^4.6.7",
  tsx: "^4.23.15",
  wrangler: "^4.164.0",
  "@cloudflare/workers-types": "^5.20261117.1",
  typescript: "^5.9.3",
  vitest: "^4.1.12",
  "@types/node": "^22.20.5",
} as const;

export type PackageWithVersion = keyof typeof VERSIONS;

/** Workers compatibility date written into wrangler.jsonc; workerd in the pinned wrangler supports it. */
export const COMPATIBILITY_DATE = "2026-10-01";
