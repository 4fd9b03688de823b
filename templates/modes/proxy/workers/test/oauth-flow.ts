import { createHash, randomBytes } from "node:crypto";

const AGENT_REDIRECT = "http://127.0.0.1:9/agent-callback"; // never called: the flow stops at its redirect

/** Cookies per host, as a browser keeps them for the consent, callback and account pages. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    this.jar.set(host, cookies);
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0\b/i.test(line)) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), value);
    }
    return response;
  }

  /** Follows redirects from `url` (through the sign-in provider) to a page, or to a URL starting with `stopAt` (not opened). */
  async follow(url: string, stopAt: string): Promise<{ url: string; page: Response | null }> {
    let current = url;
    for (let hops = 0; hops < 5; hops++) {
      const response = await this.go(current);
      const location = response.headers.get("location");
      if (!location) return { url: current, page: response };
      current = new URL(location, current).toString();
      if (current.startsWith(stopAt)) return { url: current, page: null };
    }
    throw new Error(`too many redirects, last ${current}`);
  }
}

async function json(response: Response, what: string): Promise<Record<string, any>> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Registers a public agent (DCR) that comes back to AGENT_REDIRECT; returns its client id. */
async function registerAgent(serverUrl: string, clientName: string): Promise<string> {
  const registration = await json(
    await fetch(`${serverUrl}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: clientName,
        redirect_uris: [AGENT_REDIRECT],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      }),
    }),
    "registration",
  );
  return registration.client_id as string;
}

/** A new agent's authorization URL (PKCE S256), with what it needs to check the answer and redeem the code. */
export async function startAuthorization(serverUrl: string, clientName: string, scope = "mcp") {
  const clientId = await registerAgent(serverUrl, clientName);
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const url = new URL(`${serverUrl}/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: AGENT_REDIRECT,
    scope,
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    resource: `${serverUrl}/mcp`,
  }).toString();
  return { clientId, verifier, state, url: url.toString(), browser: new Browser() };
}

/** Follows an authorization through the sign-in to the consent page, or to the agent when nothing needs asking. */
export async function openConsent(authorization: Awaited<ReturnType<typeof startAuthorization>>) {
  const reached = await authorization.browser.follow(authorization.url, AGENT_REDIRECT);
  if (!reached.page) return { agentRedirect: reached.url, html: null };
  const html = await reached.page.text();
  if (reached.page.status !== 200) throw new Error(`consent page: HTTP ${reached.page.status} ${html.slice(0, 500)}`);
  return { agentRedirect: null, html };
}

/** The permissions a consent page offers ticked, as a browser would post them when the person unticks nothing. */
export const tickedPermissions = (html: string) => [...html.matchAll(/name="permission" value="([^"]+)" checked/g)].map((m) => m[1]!);

/**
 * What an MCP client and its user do to connect, without a browser: register (DCR), authorize with PKCE S256 asking
 * for `scope`, sign in upstream (the stand-in signs in at once), approve the consent page as it is, come back with a
 * code, get tokens.
 */
export async function signInHeadless(serverUrl: string, clientName = "Test agent", scope = "mcp") {
  const authorization = await startAuthorization(serverUrl, clientName, scope);
  const { clientId, verifier, state, browser } = authorization;
  const consent = await openConsent(authorization);
  let location = consent.agentRedirect ?? "";
  if (consent.html !== null) {
    const handle = consent.html.match(/name="handle" value="([^"]+)"/)?.[1];
    if (!handle) throw new Error(`no consent form: ${consent.html.slice(0, 500)}`);
    const approved = await browser.go(`${serverUrl}/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: serverUrl },
      body: new URLSearchParams([["handle", handle], ["decision", "approve"], ...tickedPermissions(consent.html).map((p): [string, string] => ["permission", p])]),
    });
    location = approved.headers.get("location") ?? "";
    if (!location.startsWith(AGENT_REDIRECT)) throw new Error(`expected a redirect to the agent, got HTTP ${approved.status} ${location}`);
  }
  const back = new URL(location);
  if (back.searchParams.get("state") !== state) throw new Error(`state did not come back: ${location}`);
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`no code: ${location}`);

  const tokens = await json(
    await fetch(`${serverUrl}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: AGENT_REDIRECT,
        code_verifier: verifier,
        client_id: clientId,
        resource: `${serverUrl}/mcp`,
      }),
    }),
    "token",
  );
  return { clientId, accessToken: tokens.access_token as string, refreshToken: tokens.refresh_token as string | undefined };
}
