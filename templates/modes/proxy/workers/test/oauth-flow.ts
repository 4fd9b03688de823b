import { createHash, randomBytes } from "node:crypto";

const AGENT_REDIRECT = "http://127.0.0.1:9/agent-callback"; // never called: the flow stops at its redirect

/** Cookies per host, as a browser keeps them for the consent and callback pages. */
class Browser {
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
}

async function json(response: Response, what: string): Promise<Record<string, any>> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

/**
 * What an MCP client and its user do to connect, without a browser: register (DCR), authorize with PKCE S256,
 * approve the consent page, sign in upstream (the stand-in signs in at once), come back with a code, get tokens.
 */
export async function signInHeadless(serverUrl: string, clientName = "Test agent") {
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
  const clientId = registration.client_id as string;
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const authorize = new URL(`${serverUrl}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: AGENT_REDIRECT,
    scope: "mcp",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    resource: `${serverUrl}/mcp`,
  }).toString();

  const browser = new Browser();
  const page = await browser.go(authorize.toString());
  const html = await page.text();
  const handle = html.match(/name="handle" value="([^"]+)"/)?.[1];
  if (page.status !== 200 || !handle) throw new Error(`consent page: HTTP ${page.status} ${html.slice(0, 500)}`);
  let response = await browser.go(`${serverUrl}/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: serverUrl },
    body: new URLSearchParams({ handle, decision: "approve" }),
  });
  let location = "";
  for (let hops = 0; hops < 5 && !location.startsWith(AGENT_REDIRECT); hops++) {
    location = response.headers.get("location") ?? "";
    if (!location) throw new Error(`expected a redirect, got HTTP ${response.status} ${await response.text()}`);
    if (!location.startsWith(AGENT_REDIRECT)) response = await browser.go(new URL(location, serverUrl).toString());
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
