import { defineConfig } from "vitest/config";

// `npm test` runs unit + e2e (Node and npm packages only); `npm run test:all` adds the projects that need Debian packages.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      // Needs Debian's redis-server: only in `npm run test:all`.
      {
        test: {
          name: "redis",
          include: ["test/redis/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      // Clients nobody here wrote (MCP Inspector 2.12 needs Node >= 22.19; the conformance suite): only in `npm run test:all`.
      {
        test: {
          name: "interop",
          include: ["test/interop/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      // Needs Debian's chromium (`apt-get install chromium`): only in `npm run test:all`.
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
