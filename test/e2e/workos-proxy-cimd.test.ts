import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { authorizeUrl, browse, CookieJar, followUntil, openAuthorization, pkce, startProxyServer, submitConsent, tokenRequest } from "../helpers/proxy-oauth.js";
import type { RunningServer } from "../helpers/server.js";
import { MCP_MESSAGES, postMcp, toolJsonOf } from "../helpers/server.js";

// Client ID Metadata Documents (CIMD) in proxy mode: an agent's client_id is an https URL whose document names it and
// its redirect URIs. The public internet is out of reach here, so the documents come from a local https server with a
// self-signed certificate that `wrangler dev` is told to trust (NODE_EXTRA_CA_CERTS).
const MEI: FakeUser = { id: "user_MEI", email: "mei@example.com", firstName: "Mei", lastName: "Chen", role: "member", permissions: [] };
const AGENT_CALLBACK = "https://agent.example/callback";

let work: ReturnType<typeof tempDir>;
let fake: WorkosFake;
let server: RunningServer;
let origin: string;
let documents: https.Server;
let documentBase: string;
const fetched: string[] = [];
let remove: () => void;

beforeAll(async () => {
  work = tempDir("proxy-cimd");
  const key = path.join(work.dir, "key.pem");
  const cert = path.join(work.dir, "cert.pem");
  await execa("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]);
  documents = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    fetched.push(req.url ?? "");
    const self = `${documentBase}${req.url}`;
    const doc = {
      client_id: req.url === "/impostor.json" ? `${documentBase}/someone-else.json` : self,
      client_name: "CIMD Agent",
      redirect_uris: [AGENT_CALLBACK],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  documentBase = `https://localhost:${(documents.address() as AddressInfo).port}`;

  const project = await generate(work.dir, "cimd-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami"]);
  remove = project.remove;
  fake = await startWorkosFake([MEI]);
  ({ server, origin } = await startProxyServer(project.dir, fake, { NODE_EXTRA_CA_CERTS: cert }));
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await new Promise((r) => documents?.close(r));
  remove?.();
  work?.cleanup();
});

describe("proxy mode with Client ID Metadata Documents", () => {
  it("advertises CIMD in its authorization server metadata", async () => {
    const metadata = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);
  });

  it("signs a person in for an agent known only by its document URL, and whoami names that URL as the client", async () => {
    const clientId = `${documentBase}/agent.json`;
    const { verifier, challenge } = pkce();
    const jar = new CookieJar();
    const page = await openAuthorization(jar, authorizeUrl(origin, { client_id: clientId, redirect_uri: AGENT_CALLBACK, code_challenge: challenge, code_challenge_method: "S256", state: "s1" }));
    if ("redirect" in page) throw new Error("expected a consent page");
    expect(fetched).toContain("/agent.json");
    expect(page.html).toContain("CIMD Agent");
    const back = new URL(await followUntil(jar, await submitConsent(jar, page, "approve"), `${origin}/authorize`, AGENT_CALLBACK));
    const token = await tokenRequest(origin, { grant_type: "authorization_code", code: back.searchParams.get("code")!, client_id: clientId, redirect_uri: AGENT_CALLBACK, code_verifier: verifier });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const call = await postMcp(`${origin}/mcp`, MCP_MESSAGES.callTool("whoami"), { token: access_token });
    expect(await toolJsonOf(call)).toMatchObject({ kind: "person", user: { id: MEI.id }, client_id: clientId });
  });

  it("refuses a document whose client_id is not its own URL, and a redirect URI the document does not list", async () => {
    const { challenge } = pkce();
    const impostor = await browse(new CookieJar(), authorizeUrl(origin, { client_id: `${documentBase}/impostor.json`, redirect_uri: AGENT_CALLBACK, code_challenge: challenge, code_challenge_method: "S256", state: "s2" }));
    expect(fetched).toContain("/impostor.json"); // it was read, and then refused
    expect(impostor.status).toBe(400);
    const elsewhere = await browse(new CookieJar(), authorizeUrl(origin, { client_id: `${documentBase}/agent.json`, redirect_uri: "https://evil.example/cb", code_challenge: challenge, code_challenge_method: "S256", state: "s3" }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get("location")).toBeNull();
  });
});
