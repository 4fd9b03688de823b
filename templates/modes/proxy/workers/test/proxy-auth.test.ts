import { describe, expect, inject, it } from "vitest";
import { postDiscover } from "./client.js";
import { signInHeadless } from "./oauth-flow.js";

const serverUrl = inject("serverUrl");
const initialize = (headers: Record<string, string>) =>
  fetch(`${serverUrl}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } } }),
  });

describe("this server as its own OAuth server (proxy mode)", () => {
  it("answers a call without a token with 401 and where to find its metadata", async () => {
    const response = await initialize({});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer .*resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"/);
  });

  it("refuses a made-up token with 401 invalid_token", async () => {
    const response = await initialize({ authorization: "Bearer not-a-real-token" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
  });

  it("publishes resource and authorization-server metadata (PKCE S256 only, registration)", async () => {
    const resource = await (await fetch(`${serverUrl}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(resource).toMatchObject({ resource: `${serverUrl}/mcp`, authorization_servers: [serverUrl] });
    const server = await (await fetch(`${serverUrl}/.well-known/oauth-authorization-server`)).json();
    expect(server).toMatchObject({
      issuer: serverUrl,
      authorization_endpoint: `${serverUrl}/authorize`,
      token_endpoint: `${serverUrl}/token`,
      registration_endpoint: `${serverUrl}/register`,
      code_challenge_methods_supported: ["S256"],
      client_id_metadata_document_supported: true,
    });
  });

  it("accepts the token the sign-in flow issued", async () => {
    expect((await postDiscover(serverUrl)).status).toBe(200);
  });

  it("gives each agent its own grant: a second agent signs in with its own client id", async () => {
    const second = await signInHeadless(serverUrl, "Second agent");
    expect(second.clientId).not.toBe(inject("expectedIdentity").client_id);
    expect((await initialize({ authorization: `Bearer ${second.accessToken}` })).status).toBe(200);
  });
});
