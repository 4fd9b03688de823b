import type { TestProject } from "vitest/node";
import { startAuthFixture } from "./auth-fixture.js";
import { startServer } from "./start-server.js";

const ALLOWED_ORIGIN = "https://allowed.example";

/** One real server for the whole test run, with whatever its sign-in needs (test/auth-fixture.ts). */
export default async function setup(project: TestProject) {
  const auth = await startAuthFixture();
  const server = await startServer({ ...auth.env, ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  project.provide("serverUrl", server.url);
  project.provide("allowedOrigin", ALLOWED_ORIGIN);
  project.provide("authHeaders", await auth.headers(server.url));
  project.provide("adminHeaders", await auth.adminHeaders(server.url));
  project.provide("expectedIdentity", auth.expectedIdentity);
  project.provide("stepUp", auth.stepUp === true);
  project.provide("confirmationPage", auth.confirmationPage === true);
  project.provide("serviceHeaders", auth.service ? await auth.service.headers(server.url) : null);
  project.provide("expectedServiceIdentity", auth.service?.expectedIdentity ?? null);
  return async () => {
    await server.stop();
    await auth.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    allowedOrigin: string;
    /** Headers that make a request signed in (empty without sign-in). */
    authHeaders: Record<string, string>;
    /** Headers of someone with every permission (null without sign-in). */
    adminHeaders: Record<string, string> | null;
    /** What whoami must report for those headers. */
    expectedIdentity: Record<string, unknown>;
    /** Whether permissions are OAuth scopes: a call lacking one is a 403 insufficient_scope challenge, not a tool error. */
    stepUp: boolean;
    /** Whether a client that cannot ask the person gets a link to the server's confirmation page (proxy mode). */
    confirmationPage: boolean;
    /** Headers of an agent without a person (client credentials), or null where the provider issues no such tokens. */
    serviceHeaders: Record<string, string> | null;
    /** What whoami must report for those headers. */
    expectedServiceIdentity: Record<string, unknown> | null;
  }
}
