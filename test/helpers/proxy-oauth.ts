import { createHash, randomBytes } from "node:crypto";
import { UnauthorizedError as UnauthorizedErrorV2 } from "@modelcontextprotocol/client";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { WorkosFake } from "../fakes/workos.js";
import { type ClientEra, type McpClient, newClient, type PersonAnswer, startDevServer } from "./server.js";

/** A browser's cookies, enough for the consent and sign-in pages: name → value per host (all `__Host-`, Path=/). */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  header(url: string): string {
    const cookies = this.byHost.get(new URL(url).host);
    return cookies ? [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") : "";
  }

  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const cookies = this.byHost.get(host) ?? new Map<string, string>();
    this.byHost.set(host, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/;\s*max-age=0\b/i.test(line) || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  names(url: string): string[] {
    return [...(this.byHost.get(new URL(url).host)?.keys() ?? [])];
  }

  clear(): void {
    this.byHost.clear();
  }
}

/** One browser request: cookies sent and stored, redirects not followed. */
export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set("cookie", cookie);
  const response = await fetch(url, { ...init, headers, redirect: "manual" });
  jar.store(url, response);
  return response;
}

export interface ConsentPage {
  url: string;
  response: Response;
  html: string;
  handle: string;
}

/** The hidden `handle` field of a consent page. */
export function consentHandle(html: string): string {
  const handle = html.match(/name="handle" value="([^"]+)"/)?.[1];
  if (!handle) throw new Error(`no consent form in:\n${html.slice(0, 2000)}`);
  return handle;
}

/**
 * GET the authorization URL and follow it through the upstream sign-in (a browser's redirects, with cookies): returns the
 * consent page at /callback, or, when consent is remembered or the flow failed, the redirect back to the agent.
 */
export async function openAuthorization(jar: CookieJar, authorizationUrl: string): Promise<ConsentPage | { redirect: string }> {
  const page = await openPage(jar, authorizationUrl);
  if ("redirect" in page) return page;
  if (page.response.status !== 200) throw new Error(`GET ${page.url} → ${page.response.status}:\n${page.html}`);
  return { ...page, handle: consentHandle(page.html) };
}

/** Follows an authorization (redirects, with cookies) to the first page this server or the upstream shows, or back to the agent. */
export async function openPage(jar: CookieJar, authorizationUrl: string): Promise<{ url: string; response: Response; html: string } | { redirect: string }> {
  const agent = new URL(authorizationUrl).searchParams.get("redirect_uri");
  let url = authorizationUrl;
  let response = await browse(jar, url);
  for (let hops = 0; response.status === 302 || response.status === 303; hops++) {
    if (hops === 10) throw new Error(`too many redirects, last ${url}`);
    url = new URL(response.headers.get("location")!, url).toString();
    if (agent && url.startsWith(agent)) return { redirect: url };
    response = await browse(jar, url);
  }
  return { url, response, html: await response.text() };
}

/** The permission checkboxes a consent page shows ticked (those the person holds), as a browser posts them untouched. */
export const tickedPermissions = (html: string) => [...html.matchAll(/name="permission" value="([^"]+)" checked/g)].map((m) => m[1]!);

/**
 * POST the consent form as the page's button would: with the permissions left ticked (`permissions`, else every one
 * the page shows ticked).
 */
export function submitConsent(
  jar: CookieJar,
  page: { url: string; handle: string; html?: string },
  decision: "approve" | "deny",
  extraHeaders: Record<string, string> = {},
  permissions = tickedPermissions(page.html ?? ""),
) {
  const origin = new URL(page.url).origin;
  const form = new URLSearchParams({ handle: page.handle, decision });
  for (const permission of permissions) form.append("permission", permission);
  return browse(jar, `${origin}/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, ...extraHeaders },
    body: form.toString(),
  });
}

/** Follows redirects (with cookies) until one leaves for `stopAt`'s origin; returns that URL. */
export async function followUntil(jar: CookieJar, start: Response, startUrl: string, stopAt: string): Promise<string> {
  let response = start;
  let url = startUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (response.status !== 302 && response.status !== 303) {
      throw new Error(`expected a redirect from ${url}, got ${response.status}: ${(await response.text()).slice(0, 1000)}`);
    }
    url = new URL(response.headers.get("location")!, url).toString();
    if (url.startsWith(stopAt)) return url;
    response = await browse(jar, url);
  }
  throw new Error(`too many redirects, last ${url}`);
}

/** The whole browser side of an authorization: sign-in upstream → consent (approve) → back to the agent. */
export async function authorizeInBrowser(jar: CookieJar, authorizationUrl: string, redirectUri: string): Promise<URL> {
  const opened = await openAuthorization(jar, authorizationUrl);
  // Straight back to the agent: remembered consent, a failed sign-in, or an authorization server with no pages to show.
  if ("redirect" in opened) return new URL(opened.redirect);
  const approved = await submitConsent(jar, opened, "approve");
  return new URL(await followUntil(jar, approved, `${new URL(authorizationUrl).origin}/authorize`, redirectUri));
}

/** An MCP SDK OAuth client provider that keeps everything in memory and lets a test play the browser. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  savedTokens?: OAuthTokens;
  verifier = "";
  authorizationUrl?: URL;

  constructor(
    readonly redirectUri = "http://127.0.0.1:9/agent-callback",
    readonly name = "E2E Agent",
  ) {}

  get redirectUrl() {
    return this.redirectUri;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.savedTokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  /** The v2 client keeps which authorization server it sent the person to, to check the callback against it. */
  discovery?: unknown;
  saveDiscoveryState(state: unknown) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery as never;
  }
}

/**
 * The MCP SDK's whole OAuth flow against a server with sign-in: 401 → discovery → DCR → authorize with PKCE (the test
 * plays the browser: consent, upstream sign-in) → callback → token → reconnect. Returns a connected client of `era`
 * (the v1 client's 2025-11-25 unless told; the v2 client checks the callback's RFC 9207 `iss`).
 */
export async function connectWithSignIn(
  mcpUrl: string,
  provider: MemoryOAuthProvider,
  jar: CookieJar,
  signIn: (jar: CookieJar, authorizationUrl: string, redirectUri: string) => Promise<URL> = authorizeInBrowser,
  era: ClientEra = "2025-11-25",
  answer?: PersonAnswer,
): Promise<McpClient> {
  const asks = answer ? { answer } : {};
  const first = newClient(era, mcpUrl, { authProvider: provider, ...asks });
  try {
    await first.connect();
    return first.client; // already had a valid token
  } catch (error) {
    if (!(error instanceof UnauthorizedError || error instanceof UnauthorizedErrorV2)) throw error;
  }
  if (!provider.authorizationUrl) throw new Error("the SDK did not start an authorization");
  const back = await signIn(jar, provider.authorizationUrl.toString(), provider.redirectUri);
  if (!back.searchParams.get("code")) throw new Error(`no code in ${back}`);
  await first.finishAuth(back);
  const again = newClient(era, mcpUrl, { authProvider: provider, ...asks });
  await again.connect();
  return again.client;
}

/** Plain OAuth requests against a proxy-mode server, for the security tests that need to go off the happy path. */
export async function registerClient(origin: string, metadata: Record<string, unknown>): Promise<Response> {
  return fetch(`${origin}/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none", ...metadata }),
  });
}

export function pkce() {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(origin: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${origin}/authorize`);
  for (const [key, value] of Object.entries({ response_type: "code", scope: "mcp", resource: `${origin}/mcp`, ...params })) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

export function tokenRequest(origin: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${origin}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
}

/** A newly registered public agent's authorization URL (PKCE S256), with what it needs to redeem the code. */
async function newAuthorization(origin: string, name: string, scope: string) {
  const redirectUri = "http://127.0.0.1:9/cb";
  const registered = (await (await registerClient(origin, { client_name: name, redirect_uris: [redirectUri] })).json()) as { client_id: string };
  const { verifier, challenge } = pkce();
  const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: redirectUri, state: "s1", scope, code_challenge: challenge, code_challenge_method: "S256" });
  return { clientId: registered.client_id, redirectUri, verifier, url };
}

/** A new agent's authorization in a new browser, as far as it goes: the first page shown (consent, a refusal), or back to the agent. */
export async function authorizeNewAgent(origin: string, name: string, scope = "mcp") {
  return openPage(new CookieJar(), (await newAuthorization(origin, name, scope)).url);
}

/** A registered public agent that has been through consent and sign-in: its client id and tokens. */
export async function signedInAgent(origin: string, name = "Agent", jar = new CookieJar(), scope = "mcp") {
  const { clientId, redirectUri, verifier, url } = await newAuthorization(origin, name, scope);
  const back = await authorizeInBrowser(jar, url, redirectUri);
  const response = await tokenRequest(origin, {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: clientId,
  });
  const tokens = (await response.json()) as { access_token: string; refresh_token: string; scope: string };
  if (!tokens.access_token) throw new Error(`no tokens: ${JSON.stringify(tokens)}`);
  return { clientId, redirectUri, jar, ...tokens };
}

/**
 * `npm run dev` of a proxy-mode project signing people in through its own WorkOS OAuth application at the stand-in,
 * whose redirect URI is registered once the port is known. `extraEnv` adds or replaces settings.
 */
export async function startProxyServer(projectDir: string, fake: WorkosFake, extraEnv: Record<string, string> = {}, port?: number) {
  const app = fake.createApplication({ name: "proxy-app", redirectUris: [] });
  const server = await startDevServer(projectDir, {
    AUTHKIT_DOMAIN: fake.url,
    WORKOS_API_HOSTNAME: fake.apiHostname,
    WORKOS_APP_CLIENT_ID: app.clientId,
    WORKOS_APP_CLIENT_SECRET: app.clientSecret,
    COOKIE_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    ...extraEnv,
  }, port);
  const origin = `http://127.0.0.1:${server.port}`;
  fake.clients.get(app.clientId)!.redirectUris.push(`${origin}/callback`);
  return { server, origin, mcpUrl: `${origin}/mcp`, app };
}
