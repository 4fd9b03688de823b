import path from "node:path";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { signInAsTestPerson } from "../helpers/dev-sign-in.js";
import { generate, projectScript } from "../helpers/project.js";
import { browse, connectWithSignIn, CookieJar, MemoryOAuthProvider, startProxyServer } from "../helpers/proxy-oauth.js";
import { CONFIRMS, freePort, MCP_MESSAGES, newClient, postMcp, reboundRequest, type RunningServer, startDevServer, startServerCommand, toolJson } from "../helpers/server.js";

// The development sign-in: straight after `npm run dev`, with no settings at all, every template with sign-in on each
// target and mode signs people in through a real OAuth flow (the MCP SDK clients: discovery, DCR, PKCE, consent where
// the mode has one) as a test person of their choosing, on this machine only.

const COMBOS = [
  { template: "workos", target: "workers", mode: "direct" },
  { template: "workos", target: "node", mode: "direct" },
  { template: "oidc", target: "workers", mode: "direct" },
  { template: "oidc", target: "node", mode: "direct" },
  { template: "workos", target: "workers", mode: "proxy" },
  { template: "github", target: "workers", mode: "proxy" },
] as const;
const PERMISSIONS = ["shop:admin", "audit:read"];
const PROVIDER_SETTING = { workos: "AUTHKIT_DOMAIN", oidc: "OIDC_ISSUER", github: "GITHUB_CLIENT_ID" } as const;

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("dev-sign-in");
});
afterAll(() => work?.cleanup());

describe.each(COMBOS)("$template ($mode mode) on $target with no settings", ({ template, target, mode }) => {
  let dir: string;
  let server: RunningServer;
  let origin: string;
  let mcp: string;
  let remove: () => void;

  beforeAll(async () => {
    const project = await generate(work.dir, `dev-${template}-${target}-${mode}`, ["-t", template, "--target", target, "--auth-mode", mode, "--tools", "whoami,shop,audit"]);
    ({ dir, remove } = project);
    await projectScript(dir, "typecheck");
    server = await startDevServer(dir);
    origin = `http://localhost:${server.port}`;
    mcp = `${origin}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    remove?.();
  });

  const connect = async (era: "2026-07-28" | "2025-11-25", person: Parameters<typeof signInAsTestPerson>[3] = {}) => {
    const provider = new MemoryOAuthProvider(undefined, "Dev agent");
    const pages: { kind: string; html: string }[] = [];
    const browser = (jar: CookieJar, url: string, back: string) => signInAsTestPerson(jar, url, back, person, (kind, html) => pages.push({ kind, html }));
    const client = await connectWithSignIn(mcp, provider, new CookieJar(), browser, era, era === "2026-07-28" ? CONFIRMS : undefined);
    return { client, provider, pages, browser };
  };

  it("says loudly that anyone on this machine can sign in as anyone, and how to switch to the real provider", async () => {
    // On Workers the line follows the first answer through wrangler's output, so it may arrive a moment later.
    await expect.poll(() => server.output(), { timeout: 10_000 }).toContain("DEVELOPMENT SIGN-IN");
    expect(server.output()).toContain("anyone on this machine can sign in as anyone");
    expect(server.output()).toContain("npx create-mcp-auth provision");
    expect(server.output()).toContain(PROVIDER_SETTING[template]);
  });

  it("signs the default test person in through the whole OAuth flow (SDK v2, 2026-07-28): whoami sees her, with every permission (direct) or those the token was granted, stepping up for more (proxy)", async () => {
    const { client, provider, pages, browser } = await connect("2026-07-28");
    // Sign-in first, then (proxy mode) consent, which says who signed in and how.
    expect(pages.map((p) => p.kind)).toEqual(mode === "proxy" ? ["sign-in", "consent"] : ["sign-in"]);
    if (mode === "proxy") expect(pages[1]!.html).toContain("Signed in with the development sign-in as <strong id=\"person-name\">Ada Lovelace</strong>");
    const identity = toolJson(await client.callTool({ name: "whoami", arguments: {} }));
    expect(identity).toMatchObject({
      kind: "person",
      user: { email: "ada@example.com", email_verified: true, name: "Ada Lovelace" },
      role: "admin",
      client_id: expect.any(String),
      hint: expect.stringContaining("development sign-in"),
    });
    // In proxy mode a token carries only the permissions its grant was given: the SDK asked for `mcp` (the 401's scope).
    expect([...(identity.permissions as string[])].sort()).toEqual(mode === "proxy" ? [] : [...PERMISSIONS].sort());
    if (mode === "direct") {
      // A JWT from the server's own development issuer, for this server's /mcp, signed with ES256 and marked.
      const token = provider.savedTokens!.access_token;
      expect(decodeJwt(token)).toMatchObject({ iss: origin, aud: mcp, dev_sign_in: true });
      expect(decodeProtectedHeader(token).alg).toBe("ES256");
    }
    // Per-person state and the audit trail work as with the real provider.
    const order = toolJson(await client.callTool({ name: "order_shirt", arguments: { size: "M", name: "Ada Lovelace", company: "", address: "1 Test Street" } }));
    expect(order).toMatchObject({ size: "M" });
    let audited = client;
    if (mode === "proxy") {
      // The token holds no permission scope yet: audit_log answers the step-up challenge, the SDK asks for audit:read,
      // and the test person allows it on the consent page.
      const agent = newClient("2026-07-28", mcp, { authProvider: provider });
      await agent.connect();
      provider.authorizationUrl = undefined;
      await expect(agent.client.callTool({ name: "audit_log", arguments: {} })).rejects.toThrow();
      expect(provider.authorizationUrl!.searchParams.get("scope")!.split(" ")).toContain("audit:read");
      await agent.finishAuth(await browser(new CookieJar(), provider.authorizationUrl!.toString(), provider.redirectUri));
      audited = agent.client;
    }
    const log = toolJson(await audited.callTool({ name: "audit_log", arguments: {} }));
    expect(JSON.stringify(log)).toContain("order_shirt");
    await client.close();
    if (audited !== client) await audited.close();
  });

  it("signs in the person typed on the page, with the role that holds no permission (v1 client, 2025-11-25)", async () => {
    const { client } = await connect("2025-11-25", { name: "Sam Member", email: "sam@example.com", role: "member" });
    const identity = toolJson(await client.callTool({ name: "whoami", arguments: {} }));
    expect(identity).toMatchObject({ kind: "person", user: { email: "sam@example.com", name: "Sam Member" }, role: "member", permissions: [] });
    const refused = await client.callTool({ name: "audit_log", arguments: {} });
    expect(refused.isError).toBe(true);
    await client.close();
  });

  if (mode === "proxy") {
    it("opens the person's account page through the development sign-in too, listing the agent they allowed", async () => {
      const { client } = await connect("2025-11-25");
      await client.close();
      const jar = new CookieJar();
      const back = await signInAsTestPerson(jar, `${origin}/account`, `${origin}/account`); // the sign-in ends back at the page
      const html = await (await browse(jar, back.href)).text();
      expect(html).toContain(`Signed in with the development sign-in as <strong id="person-name">Ada Lovelace</strong>`);
      expect(html).toContain(`<h3 class="agent-name">Dev agent</h3>`);
    });
  }

  it("is not reachable through another host name (a DNS-rebinding page)", async () => {
    const page = await reboundRequest(server.port, mode === "direct" ? "/.well-known/oauth-authorization-server" : "/dev-sign-in/authorize", "GET");
    expect(page.status).toBe(403);
    expect(page.body).not.toContain("dev-sign-in");
  });

  if (mode === "direct") {
    it("applies the bad-token battery to its own tokens", async () => {
      const { provider } = await connect("2026-07-28");
      const real = decodeJwt(provider.savedTokens!.access_token);
      const { privateKey } = await generateKeyPair("ES256");
      const kid = decodeProtectedHeader(provider.savedTokens!.access_token).kid!;
      const forged = await new SignJWT(real).setProtectedHeader({ alg: "ES256", kid }).sign(privateKey);
      const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(real)).toString("base64url")}.`;
      const challenge = `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`;
      for (const token of [forged, none]) {
        const response = await postMcp(mcp, MCP_MESSAGES.initialize, { token });
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toContain(`${challenge}, error="invalid_token"`);
      }
      const missing = await postMcp(mcp, MCP_MESSAGES.initialize);
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe(challenge);
      const inQuery = await postMcp(`${mcp}?access_token=${provider.savedTokens!.access_token}`, MCP_MESSAGES.initialize);
      expect(inQuery.status).toBe(401);
    });
  }
});

describe("npm run dev on Workers", () => {
  it("says which sign-in is in use as soon as it starts, before any request (the dev script makes the first one)", async () => {
    const { dir } = await generate(work.dir, "dev-banner", ["-t", "github", "--target", "workers", "--tools", "whoami"]);
    const server = await startServerCommand(dir, ["npm", "run", "dev"], {}, undefined, (output) => output.includes("DEVELOPMENT SIGN-IN"));
    await server.stop();
  });
});

describe("where the development sign-in never answers", () => {
  let dir: string;
  let nodeDir: string;
  beforeAll(async () => {
    dir = (await generate(work.dir, "dev-off-workers", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami"])).dir;
    nodeDir = (await generate(work.dir, "dev-off-node", ["-t", "oidc", "--target", "node", "--tools", "whoami"])).dir;
  });

  it("a Worker as deployed (no MCP_DEV_SERVER): every page names the missing settings, /mcp says so as JSON", async () => {
    const wrangler = path.join(dir, "node_modules/wrangler/bin/wrangler.js");
    const server = await startServerCommand(dir, [process.execPath, wrangler, "dev", "--port", "{port}", "--ip", "127.0.0.1"]);
    try {
      const origin = `http://127.0.0.1:${server.port}`;
      const page = await fetch(`${origin}/authorize?client_id=x`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(503);
      expect(page.headers.get("content-type")).toContain("text/html");
      const html = await page.text();
      expect(html).toContain("<title>This server is not set up yet</title>");
      for (const name of ["WORKOS_APP_CLIENT_ID", "COOKIE_ENCRYPTION_KEY", "npx create-mcp-auth provision"]) expect(html).toContain(name);
      const signInPage = await fetch(`${origin}/dev-sign-in/authorize`, { headers: { accept: "text/html" } });
      expect(await signInPage.text()).not.toContain("development sign-in.");
      const api = await fetch(`${origin}/`, { headers: { accept: "application/json" } });
      expect(api.status).toBe(503);
      expect(await api.json()).toMatchObject({ error: "sign_in_not_configured", problems: expect.arrayContaining([expect.stringContaining("WORKOS_APP_CLIENT_ID")]) });
    } finally {
      await server.stop();
    }
  });

  it("applies the allowlist and the quota to test people as to real ones", async () => {
    const server = await startDevServer(nodeDir, { ALLOWED_EMAIL_DOMAINS: "example.com", CALLS_PER_MINUTE: "3" });
    try {
      const mcp = `http://localhost:${server.port}/mcp`;
      const signIn = async (email: string) => {
        const provider = new MemoryOAuthProvider(undefined, "Dev agent");
        const first = newClient("2026-07-28", mcp, { authProvider: provider });
        await first.connect().catch(() => undefined);
        await first.finishAuth(await signInAsTestPerson(new CookieJar(), provider.authorizationUrl!.href, provider.redirectUri, { email }));
        return provider.savedTokens!.access_token;
      };
      const outsider = await postMcp(mcp, MCP_MESSAGES.initialize, { token: await signIn("eve@evil.test") });
      expect(outsider.status).toBe(403);
      expect(await outsider.json()).toMatchObject({ error: "not_allowed", message: expect.stringContaining("ALLOWED_EMAIL_DOMAINS") });

      const token = await signIn("ada@example.com");
      // One fixed quota window: not in the last seconds of a minute.
      if (Date.now() % 60_000 > 50_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 200));
      const calls = await Promise.all(Array.from({ length: 5 }, () => postMcp(mcp, MCP_MESSAGES.callTool("whoami"), { token })));
      const results = await Promise.all(calls.map(async (response) => JSON.stringify(await response.text())));
      expect(results.filter((text) => text.includes("rate_limited"))).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });

  it("Node with NODE_ENV=production refuses to start and lists what to set", async () => {
    const started = startServerCommand(nodeDir, ["npm", "start"], { NODE_ENV: "production", PUBLIC_URL: "https://mcp.example.com" });
    await expect(started).rejects.toThrow(/exited with 1[\s\S]*OIDC_ISSUER is not set[\s\S]*npx create-mcp-auth provision/);
  });

  it("Node listening on a non-loopback HOST refuses to start without the provider", async () => {
    const started = startServerCommand(nodeDir, ["npm", "start"], { HOST: "0.0.0.0", PUBLIC_URL: "https://mcp.example.com" });
    await expect(started).rejects.toThrow(/exited with 1[\s\S]*OIDC_ISSUER is not set/);
  });

  it("Node in development with a half-set provider lists the problem at start-up and answers 503 instead of signing anyone in", async () => {
    const server = await startDevServer(nodeDir, { OIDC_ISSUER: "http://issuer.example.com" });
    try {
      expect(server.output()).toContain("OIDC_ISSUER: \"http://issuer.example.com\" must use https");
      const response = await postMcp(`http://127.0.0.1:${server.port}/mcp`, MCP_MESSAGES.initialize);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "sign_in_not_configured" });
      const metadata = await fetch(`http://127.0.0.1:${server.port}/.well-known/oauth-authorization-server`);
      expect(metadata.status).toBe(503);
      // A browser-based client (e.g. MCP Inspector's page) gets through CORS and can read why.
      const page = "http://localhost:6274";
      const preflight = await fetch(`http://127.0.0.1:${server.port}/mcp`, { method: "OPTIONS", headers: { origin: page, "access-control-request-method": "POST" } });
      expect(preflight.status).toBe(204);
      const fromPage = await postMcp(`http://127.0.0.1:${server.port}/mcp`, MCP_MESSAGES.initialize, { headers: { origin: page } });
      expect(fromPage.status).toBe(503);
      expect(fromPage.headers.get("access-control-allow-origin")).toBe(page);
    } finally {
      await server.stop();
    }
  });
});

describe("once the real provider is set up", () => {
  let fake: WorkosFake;
  beforeAll(async () => {
    fake = await startWorkosFake();
  });
  afterAll(async () => fake?.close());

  it("proxy mode refuses grants the development sign-in issued (they are marked as development ones)", async () => {
    const { dir } = await generate(work.dir, "dev-then-real", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami"]);
    const fixed = await freePort();
    let server = await startDevServer(dir, {}, fixed);
    const provider = new MemoryOAuthProvider(undefined, "Dev agent");
    const mcp = `http://127.0.0.1:${fixed}/mcp`;
    try {
      const client = await connectWithSignIn(mcp, provider, new CookieJar(), (jar, url, back) => signInAsTestPerson(jar, url, back), "2026-07-28");
      expect(toolJson(await client.callTool({ name: "whoami", arguments: {} }))).toMatchObject({ user: { email: "ada@example.com" } });
      await client.close();
    } finally {
      await server.stop();
    }
    // The same project and its local KV state, now with WorkOS set up: the development grant's token no longer works.
    ({ server } = await startProxyServer(dir, fake, {}, fixed));
    try {
      const response = await postMcp(`http://127.0.0.1:${server.port}/mcp`, MCP_MESSAGES.initialize, { token: provider.savedTokens!.access_token });
      expect(response.status).toBe(401);
      expect(server.output()).not.toContain("DEVELOPMENT SIGN-IN");
      // Signing in on another port than the provisioned one: the server names the redirect URI to register.
      const provider2 = new MemoryOAuthProvider(undefined, "Real agent");
      const start = newClient("2026-07-28", `http://127.0.0.1:${fixed}/mcp`, { authProvider: provider2 });
      await start.connect().catch(() => undefined);
      // As far as the browser goes before leaving for AuthKit (past consent, wherever the mode puts it).
      await signInAsTestPerson(new CookieJar(), provider2.authorizationUrl!.href, fake.url);
      await expect.poll(() => server.output(), { timeout: 10_000 }).toContain(`Signing in through http://127.0.0.1:${fixed}/callback`);
    } finally {
      await server.stop();
    }
  });
});
