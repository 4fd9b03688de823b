import type { IncomingMessage } from "node:http";
import { permissions } from "../src/tools/index.js";
import type { AuthFixture } from "./auth-fixture-types.js";
import { signInHeadless } from "./oauth-flow.js";

/** A local stand-in for the upstream sign-in provider, signing in whoever it is told to. */
export interface StubUpstream<Person> {
  signInAs(person: Person): void;
  stop(): Promise<void>;
}

/**
 * Proxy mode's AuthFixture: `headers()` runs the whole flow an MCP client runs (registration, PKCE, consent, the
 * upstream sign-in as `person`, callback, token), asking for `mcp` only; `adminHeaders()` the same as `admin` (null:
 * nobody holds them), asking for every permission scope too, since a grant only carries the permissions it was given.
 */
export function proxyAuthFixture<Person>(options: {
  upstream: StubUpstream<Person>;
  env: Record<string, string>;
  person: Person;
  admin: Person | null;
  expectedIdentity: Record<string, unknown>;
}): AuthFixture {
  const { upstream, person, admin, expectedIdentity } = options;
  return {
    env: options.env,
    async headers(serverUrl) {
      upstream.signInAs(person);
      const { accessToken, clientId } = await signInHeadless(serverUrl);
      expectedIdentity.client_id = clientId; // known once the test agent has registered
      return { authorization: `Bearer ${accessToken}` };
    },
    async adminHeaders(serverUrl) {
      if (admin === null) return null;
      upstream.signInAs(admin);
      const { accessToken } = await signInHeadless(serverUrl, "Admin's agent", ["mcp", ...permissions].join(" "));
      upstream.signInAs(person);
      return { authorization: `Bearer ${accessToken}` };
    },
    expectedIdentity,
    confirmationPage: true,
    stop: () => upstream.stop(),
  };
}

/** A stand-in's request body, as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
