import { describe, expect, inject, it } from "vitest";

const serverUrl = inject("serverUrl");
const mcp = `${serverUrl}/mcp`;
const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "tests", version: "0.0.0" } },
});
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body: initialize });

describe("direct mode: this server checks the authorization server's tokens", () => {
  it("publishes protected resource metadata at the path-aware and the root URL", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const metadata = (await (await fetch(`${serverUrl}${path}`)).json()) as { resource: string; authorization_servers: string[] };
      expect(metadata.resource).toBe(mcp);
      expect(metadata.authorization_servers).toHaveLength(1);
    }
  });

  it("answers a request without a token with 401 and where to sign in", async () => {
    const response = await post(mcp);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${serverUrl}/.well-known/oauth-protected-resource/mcp"`);
  });

  it("ignores a token in the query string", async () => {
    const [, token] = inject("authHeaders").authorization!.split(" ");
    expect((await post(`${mcp}?access_token=${token}`)).status).toBe(401);
  });

  it("refuses a garbled token with invalid_token", async () => {
    const response = await post(mcp, { authorization: "Bearer not.a.token" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("accepts the signed-in token", async () => {
    expect((await post(mcp, inject("authHeaders"))).status).toBe(200);
  });
});
