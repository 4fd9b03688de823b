import type { TestProject } from "vitest/node";
import { startServer } from "./start-server.js";

const ALLOWED_ORIGIN = "https://allowed.example";

/** One real server for the whole test run. */
export default async function setup(project: TestProject) {
  const server = await startServer({ ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  project.provide("serverUrl", server.url);
  project.provide("allowedOrigin", ALLOWED_ORIGIN);
  return () => server.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    allowedOrigin: string;
  }
}
