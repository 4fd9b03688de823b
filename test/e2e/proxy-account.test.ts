import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate, projectScript } from "../helpers/project.js";
import { authorizeUrl, browse, CookieJar, openAuthorization, openPage, pkce, registerClient, signedInAgent, startProxyServer, tokenRequest } from "../helpers/proxy-oauth.js";
import { MCP_MESSAGES, postMcp, toolJsonOf } from "../helpers/server.js";

// The person's own page in WorkOS proxy mode on Workers: /account signs them in through WorkOS on the same /callback
// agents use, lists the agents they allowed (permissions, last call), what those did (the audit trail's calls) and
// their orders (shop pack), and revokes one with a form bound to that sign-in. A revoked agent's next call gets 401.
const ADA: FakeUser = { id: "user_ADA", email: "ada@example.com", firstName: "Ada", lastName: "L", role: "auditor", permissions: ["audit:read"] };
const BOB: FakeUser = { id: "user_BOB", email: "bob@example.com", firstName: "Bob", lastName: "M", role: "member", permissions: [] };

let work: ReturnType<typeof tempDir> | undefined;
let fake: WorkosFake;
let running: Awaited<ReturnType<typeof startProxyServer>> | undefined;
let origin: string;
let mcpUrl: string;

beforeAll(async () => {
  work = tempDir("proxy-account");
  const { dir } = await generate(work.dir, "account-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,audit,shop"]);
  await projectScript(dir, "typecheck");
  fake = await startWorkosFake([ADA, BOB]);
  running = await startProxyServer(dir, fake);
  ({ origin, mcpUrl } = running);
});
afterAll(async () => {
  await running?.server.stop();
  await fake?.close();
  work?.cleanup();
});

const call = (token: string, name: string, args: Record<string, unknown> = {}) => postMcp(mcpUrl, MCP_MESSAGES.callTool(name, args), { token });

/** An agent `person` allowed, asking for `scope` and granted every permission the consent page shows ticked. */
async function agentOf(person: FakeUser, name: string, scope = "mcp") {
  fake.signInAs(person);
  return signedInAgent(origin, name, new CookieJar(), scope);
}

/** `person` opening /account in `jar`: through WorkOS (signed in at once) back to the page. */
async function openAccount(person: FakeUser, jar = new CookieJar(), path = "/account") {
  fake.signInAs(person);
  const page = await openPage(jar, `${origin}${path}`);
  if ("redirect" in page) throw new Error(`unexpected redirect ${page.redirect}`);
  return { ...page, jar };
}

const field = (html: string, name: string) => html.match(new RegExp(`name="${name}" value="([^"]+)"`))?.[1] ?? "";
/** The hidden grant id on the card of the agent called `name`. */
const grantIdOf = (html: string, name: string) => field(html.slice(html.indexOf(`<h3 class="agent-name">${name}</h3>`)), "grant_id");

/** A form post as a browser sends it (with this origin in Origin; `origin: ""`: none at all). */
function post(jar: CookieJar, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin, ...headers }, body: new URLSearchParams(fields).toString() };
  if (headers.origin === "") delete (init.headers as Record<string, string>).origin; // a client that sends none
  return browse(jar, `${origin}${path}`, init);
}

const ADAS_ORDER = { size: "M", name: "Ada L", company: "", address: "1 Analytical Way" };
const ADAS_QUESTION = "Order one M shirt for Ada L, to 1 Analytical Way?";

/** A 2025-era order (no elicitation): refused until the person confirms it on the page the answer links to. */
async function orderNeedsConfirmation(token: string, args: Record<string, unknown> = ADAS_ORDER) {
  const answer = await toolJsonOf(await call(token, "order_shirt", args));
  expect(answer).toMatchObject({ error: "confirmation_required", confirmation_url: expect.stringMatching(new RegExp(`^${origin}/confirm/`)) });
  return answer.confirmation_url as string;
}

/** `person` opening a confirmation link in `jar` (signing in through WorkOS when needed): the page, and its form's fields. */
async function openConfirmation(person: FakeUser, url: string, jar = new CookieJar()) {
  fake.signInAs(person);
  const page = await openPage(jar, url);
  if ("redirect" in page) throw new Error(`unexpected redirect ${page.redirect}`);
  return { ...page, jar, token: field(page.html, "token"), path: new URL(url).pathname };
}

describe("the account page (proxy mode)", () => {
  it("signs the person in through WorkOS on /callback with its own state, then shows who they are with a session cookie", async () => {
    const jar = new CookieJar();
    fake.signInAs(ADA);
    const first = await browse(jar, `${origin}/account`);
    expect(first.status).toBe(302);
    const toWorkos = new URL(first.headers.get("location")!);
    expect(toWorkos.origin).toBe(fake.url);
    expect(toWorkos.searchParams.get("redirect_uri")).toBe(`${origin}/callback`);
    expect(toWorkos.searchParams.get("state")).toMatch(/^person\./);
    expect(toWorkos.searchParams.get("code_challenge_method")).toBe("S256");
    expect(first.headers.get("set-cookie")).toMatch(/^__Host-[^;]+; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600/);

    const { html, response, url } = await openAccount(ADA, jar);
    expect([url, response.status]).toEqual([`${origin}/account`, 200]);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain(`Signed in with WorkOS AuthKit as <strong id="person-name">Ada L</strong> <span id="person-email">(ada@example.com)</span>.`);
    expect(html).toContain("No agent has access now. When you allow one, it appears here.");
    expect(html).toContain("No orders yet.");
    expect(jar.names(origin)).toContain("__Host-mcp-person");
  });

  it("refuses a callback whose state is used again or comes to another browser", async () => {
    const jar = new CookieJar();
    fake.signInAs(ADA);
    const toWorkos = (await browse(jar, `${origin}/account`)).headers.get("location")!;
    const back = (await fetch(toWorkos, { redirect: "manual" })).headers.get("location")!;
    const elsewhere = await browse(new CookieJar(), back);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("This sign-in has expired");
    expect((await browse(jar, back)).status).toBe(400); // the state went with its first use
  });

  it("lists each agent with its permissions, where its access goes, when it was allowed and its last call; recent calls and orders", async () => {
    const agent = await agentOf(ADA, "Ada's <auditor>", "mcp audit:read");
    const quiet = await agentOf(ADA, "Quiet agent");
    expect((await call(agent.access_token, "whoami")).status).toBe(200);
    const confirmation = await openConfirmation(ADA, await orderNeedsConfirmation(agent.access_token));
    expect((await post(confirmation.jar, confirmation.path, { decision: "confirm", token: confirmation.token })).status).toBe(200);
    expect(await toolJsonOf(await call(agent.access_token, "order_shirt", ADAS_ORDER))).toMatchObject({ status: "placed" });

    const { html } = await openAccount(ADA);
    const card = html.slice(html.indexOf("Ada&#39;s &#60;auditor&#62;"));
    expect(card).toMatch(/^Ada&#39;s &#60;auditor&#62;<\/h3>/); // escaped
    expect(card).toContain(`<code class="client-id">${agent.clientId}</code>`);
    expect(card).toContain(`<span class="redirect-host">127.0.0.1</span>`);
    expect(card).toContain(`<span class="permissions"><code>audit:read</code></span>`);
    expect(card).toMatch(/<span class="last-call"><time datetime="\d{4}-/);
    const quietCard = html.slice(html.indexOf(`<h3 class="agent-name">Quiet agent</h3>`));
    expect(quietCard).toContain(`<code class="client-id">${quiet.clientId}</code>`);
    expect(quietCard).toMatch(/<span class="permissions">none[^<]*<\/span>/);
    expect(quietCard).toContain(`<span class="last-call">never</span>`);
    const calls = html.slice(html.indexOf(`<ul id="calls"`));
    expect(calls).toMatch(/<code>order_shirt<\/code> — done, through <span class="agent">Ada&#39;s &#60;auditor&#62;<\/span>/);
    expect(calls).toMatch(/<code>whoami<\/code> — done/);
    expect(html.slice(html.indexOf(`<ul id="orders"`))).toMatch(/MCP t-shirt, size M, for Ada L, through <span class="agent">Ada&#39;s &#60;auditor&#62;<\/span>/);
  });

  it("revokes with the page's form only: no token, a wrong one, another origin, another person's grant are refused", async () => {
    const bobs = await agentOf(BOB, "Bob's agent");
    const bobGrant = grantIdOf((await openAccount(BOB)).html, "Bob&#39;s agent");
    const adas = await agentOf(ADA, "Revocable agent");
    const { html, jar } = await openAccount(ADA);
    const grantId = grantIdOf(html, "Revocable agent");
    const token = field(html, "token");
    expect(grantId).not.toBe("");

    for (const [fields, headers, status] of [
      [{ grant_id: grantId }, {}, 403],
      [{ grant_id: grantId, token: "wrong" }, {}, 403],
      [{ grant_id: grantId, token: `${token.slice(0, -2)}AA` }, {}, 403],
      [{ grant_id: grantId, token }, { origin: "https://evil.example" }, 403],
      [{ grant_id: bobGrant, token }, {}, 404],
    ] as const) {
      const refused = await post(jar, "/account/revoke", fields, headers);
      expect(refused.status, JSON.stringify(fields)).toBe(status);
      expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    }
    // Without the session cookie at all (another browser with the same form): nothing happens either.
    expect((await post(new CookieJar(), "/account/revoke", { grant_id: grantId, token })).status).toBe(401);
    expect((await call(adas.access_token, "whoami")).status).toBe(200);
    expect((await call(bobs.access_token, "whoami")).status).toBe(200);

    // The page sends no referrer, so Chromium posts its form with `Origin: null`: the token is what holds then.
    const revoked = await post(jar, "/account/revoke", { grant_id: grantId, token }, { origin: "null" });
    expect(revoked.status).toBe(303);
    const location = revoked.headers.get("location")!;
    expect(location).toBe(`/account?revoked=${encodeURIComponent(grantId)}`);
    const after = await (await browse(jar, `${origin}${location}`)).text();
    expect(after).toContain(`<p class="notice" id="notice" role="status">Revoked Revocable agent. Its next call will be refused.</p>`);
    expect(after).not.toContain(`<h3 class="agent-name">Revocable agent</h3>`);
    expect((await call(adas.access_token, "whoami")).status).toBe(401);
    expect((await tokenRequest(origin, { grant_type: "refresh_token", refresh_token: adas.refresh_token, client_id: adas.clientId })).status).toBe(400);
    expect((await call(bobs.access_token, "whoami")).status).toBe(200);
    // The notice is only for a revocation she made: Bob's grant id, or a made-up one, shows none.
    expect(await (await browse(jar, `${origin}/account?revoked=${bobGrant}`)).text()).not.toContain(`id="notice"`);

    // The audit trail has it, as hers, on the account page; and the agent has to ask for consent again.
    const auditor = await agentOf(ADA, "Account auditor", "mcp audit:read");
    const { entries } = (await toolJsonOf(await call(auditor.access_token, "audit_log", { event: "revocation", agent: adas.clientId }))) as { entries: Record<string, unknown>[] };
    expect(entries).toEqual([
      expect.objectContaining({ kind: "revocation", user_id: ADA.id, client_id: adas.clientId, client_name: "Revocable agent", grant_id: grantId, revoked_by: ADA.id, via: "account_page" }),
    ]);
  });

  it("lets the person confirm a 2025-era agent's order on the page it links to: once, for that exact order, by that person only", async () => {
    const agent = await agentOf(ADA, "Old agent");
    const ordersBefore = ((await toolJsonOf(await call(agent.access_token, "list_orders"))).orders as unknown[]).length;
    const url = await orderNeedsConfirmation(agent.access_token);

    // Another person signed in there cannot answer for her; the link needs a sign-in first.
    const fresh = await browse(new CookieJar(), url);
    expect([fresh.status, new URL(fresh.headers.get("location")!).origin]).toEqual([302, fake.url]);
    const bobs = await openConfirmation(BOB, url);
    expect(bobs.response.status).toBe(403);
    expect(bobs.html).toContain("This confirmation is for someone else");

    const page = await openConfirmation(ADA, url);
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.html).toContain(`<strong>${ADAS_QUESTION}</strong>`);
    expect(page.html).toContain(`<span id="agent-name">Old agent</span>`);
    // Only the page's own form counts: no token, a wrong one, another origin.
    for (const [fields, headers] of [[{ decision: "confirm" }, {}], [{ decision: "confirm", token: "wrong" }, {}], [{ decision: "confirm", token: page.token }, { origin: "https://evil.example" }]] as const) {
      expect((await post(page.jar, page.path, fields, headers)).status).toBe(403);
    }
    // Nothing is confirmed yet: the agent is still asked to get a confirmation.
    await orderNeedsConfirmation(agent.access_token);

    const confirmed = await post(page.jar, page.path, { decision: "confirm", token: page.token }, { origin: "null" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Go back to your agent");
    expect((await post(page.jar, page.path, { decision: "confirm", token: page.token })).status).toBe(410); // the link answers once
    // Another order is not this one; this one runs once, and the next retry is asked again.
    await orderNeedsConfirmation(agent.access_token, { ...ADAS_ORDER, size: "XL" });
    const placed = await Promise.all(Array.from({ length: 5 }, async () => toolJsonOf(await call(agent.access_token, "order_shirt", ADAS_ORDER))));
    expect(placed.filter((r) => r.status === "placed")).toHaveLength(1);
    expect(placed.filter((r) => r.error === "confirmation_required")).toHaveLength(4);
    expect(((await toolJsonOf(await call(agent.access_token, "list_orders"))).orders as unknown[]).length).toBe(ordersBefore + 1);

    // Declined: nothing happens, and the agent is asked for a confirmation again.
    const declinedUrl = await orderNeedsConfirmation(agent.access_token);
    const again = await openConfirmation(ADA, declinedUrl, page.jar);
    expect(await (await post(page.jar, again.path, { decision: "decline", token: again.token })).text()).toContain("Nothing was done");
    await orderNeedsConfirmation(agent.access_token);

    const auditor = await agentOf(ADA, "Confirmation auditor", "mcp audit:read");
    const { entries } = (await toolJsonOf(await call(auditor.access_token, "audit_log", { agent: agent.clientId, limit: 100 }))) as { entries: Record<string, unknown>[] };
    expect(entries).toContainEqual(expect.objectContaining({ kind: "confirmation", tool: "order_shirt", confirmation: "confirmed", confirmation_by: ADA.id, confirmation_via: "page", client_name: "Old agent" }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: "confirmation", confirmation: "declined", confirmation_by: ADA.id }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: "call", tool: "order_shirt", outcome: "ok", confirmation: "confirmed", confirmation_by: ADA.id, confirmation_via: "page" }));
    // Her page says in words what the agent's asks were, not the audit codes.
    const calls = (await openAccount(ADA, page.jar)).html;
    expect(calls).toMatch(/<code>order_shirt<\/code> — waited for you to confirm, through <span class="agent">Old agent<\/span>/);
    expect(calls).not.toContain("confirmation_requested");
  });

  it("returns only to a path on this server after sign-in, never to another origin", async () => {
    for (const returnTo of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      const jar = new CookieJar();
      fake.signInAs(ADA);
      let response = await browse(jar, `${origin}/sign-in?return_to=${encodeURIComponent(returnTo)}`);
      let url = `${origin}/sign-in`;
      while (!new URL(url).pathname.startsWith("/callback")) {
        url = new URL(response.headers.get("location")!, url).href;
        response = await browse(jar, url);
      }
      expect([response.status, response.headers.get("location")], returnTo).toEqual([303, "/account"]);
    }
    const jar = new CookieJar();
    const { url } = await openAccount(ADA, jar, `/sign-in?return_to=${encodeURIComponent("/account?from=here")}`);
    expect(url).toBe(`${origin}/account?from=here`);
  });

  it("signs out with the page's button: the session cookie goes and /account asks WorkOS again", async () => {
    const { html, jar } = await openAccount(BOB);
    expect((await post(jar, "/sign-out", { token: "wrong" })).status).toBe(403);
    const out = await post(jar, "/sign-out", { token: field(html, "token") }, { origin: "" });
    expect(out.status).toBe(200);
    expect(await out.text()).toContain("You are signed out");
    expect(jar.names(origin)).not.toContain("__Host-mcp-person");
    expect((await browse(jar, `${origin}/account`)).status).toBe(302);
  });

  it("tells the person on the consent page where to revoke an agent later", async () => {
    fake.signInAs(BOB);
    const registered = (await (await registerClient(origin, { client_name: "Linked agent", redirect_uris: ["http://127.0.0.1:9/cb"] })).json()) as { client_id: string };
    const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: "http://127.0.0.1:9/cb", state: "s", code_challenge: pkce().challenge, code_challenge_method: "S256" });
    const opened = await openAuthorization(new CookieJar(), url);
    if ("redirect" in opened) throw new Error("consent page expected");
    expect(opened.html).toContain(`You can revoke this later at <a id="account-link" href="/account">${origin}/account</a>.`);
  });
});
