/** What an auth template's test/auth-fixture.ts gives the tests: how to run the server signed in. */
export interface AuthFixture {
  /** Settings the server needs in tests (e.g. the issuer of a local stand-in). */
  env: Record<string, string>;
  /** Headers that make a request to the running server signed in. */
  headers(serverUrl: string): Promise<Record<string, string>>;
  /** Headers for someone holding every permission the tools check (shop:admin, audit:read), or null without sign-in. */
  adminHeaders(serverUrl: string): Promise<Record<string, string> | null>;
  /** The identity whoami reports for those headers. */
  expectedIdentity: Record<string, unknown>;
  /** Permissions are OAuth scopes here (generic OIDC): a call lacking one gets 403 insufficient_scope (step-up), not a tool error. */
  stepUp?: true;
  /** An agent without a person (a client-credentials token), where the provider issues them: its headers and what whoami reports. */
  service?: { headers(serverUrl: string): Promise<Record<string, string>>; expectedIdentity: Record<string, unknown> };
  /** The server has its own confirmation page (proxy mode): a client that cannot ask the person gets a link to it. */
  confirmationPage?: true;
  stop(): Promise<void>;
}
