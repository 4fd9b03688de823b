import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/**
 * An MCP client's OAuth state, kept in memory, whose "browser" is a function: it is handed the authorization URL
 * and returns the URL the authorization server finally redirected back to (with `code` and `state`).
 */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = "http://127.0.0.1:1/callback"; // never served: the browser function stops at the redirect
  client?: OAuthClientInformationMixed;
  savedTokens?: OAuthTokens;
  private verifier = "";
  private expectedState = "";
  authorizations = 0;
  lastCallback?: URL;

  constructor(
    private readonly browse: (authorizationUrl: URL) => Promise<URL>,
    private readonly name = "e2e agent",
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  state() {
    this.expectedState = crypto.randomUUID();
    return this.expectedState;
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
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  async redirectToAuthorization(url: URL) {
    this.authorizations += 1;
    this.lastCallback = await this.browse(url);
  }

  /** The code from the last callback, after checking it answers our `state`. */
  takeCode(): string {
    const callback = this.lastCallback;
    if (!callback) throw new Error("no authorization happened");
    if (callback.searchParams.get("state") !== this.expectedState) throw new Error(`state mismatch in ${callback}`);
    const code = callback.searchParams.get("code");
    if (!code) throw new Error(`authorization failed: ${callback}`);
    return code;
  }
}

/** A browser that follows redirects until one leaves for the client's redirect URL; no pages to click. */
export function followRedirects(redirectUrl: string) {
  return async (start: URL): Promise<URL> => {
    let url = start;
    for (let hops = 0; hops < 10; hops++) {
      if (url.href.startsWith(redirectUrl)) return url;
      const response = await fetch(url, { redirect: "manual" });
      const location = response.headers.get("location");
      if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
      url = new URL(location, url);
    }
    throw new Error("too many redirects");
  };
}

/**
 * Connects the real MCP SDK client the way an agent does: a first attempt meets the 401, the SDK discovers the
 * authorization server, registers, and sends the "browser" to authorize; then finishAuth and a fresh connection.
 */
export async function connectWithOAuth(mcpUrl: string, provider: HeadlessOAuthProvider): Promise<Client> {
  const attempt = async () => {
    const client = new Client({ name: provider.clientMetadata.client_name ?? "agent", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
    await client.connect(transport);
    return client;
  };
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  await transport.finishAuth(provider.takeCode());
  return attempt();
}
