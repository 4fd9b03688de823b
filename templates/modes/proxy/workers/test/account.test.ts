import { describe, expect, inject, it } from "vitest";
import { escapeHtml } from "../src/server/html.js";
import { Browser, signInHeadless } from "./oauth-flow.js";

const serverUrl = inject("serverUrl");

/** A new browser signed in to /account (the stand-in upstream signs the test person in at once): the page, as HTML. */
async function openAccount(browser = new Browser()) {
  const reached = await browser.follow(`${serverUrl}/account`, "http://never.example/");
  const html = await reached.page!.text();
  if (reached.page!.status !== 200) throw new Error(`account page: HTTP ${reached.page!.status} ${html.slice(0, 500)}`);
  return { browser, html, url: reached.url };
}

const formField = (html: string, name: string) => html.match(new RegExp(`name="${name}" value="([^"]+)"`))?.[1] ?? "";

function revoke(browser: Browser, fields: Record<string, string>, origin = serverUrl) {
  return browser.go(`${serverUrl}/account/revoke`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams(fields),
  });
}

const callWith = (accessToken: string) =>
  fetch(`${serverUrl}/mcp`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });

describe("the person's account page (proxy mode)", () => {
  it("signs the person in through the provider first, then lists the agents they allowed", async () => {
    const agent = await signInHeadless(serverUrl, "Account page agent");
    const { html, url } = await openAccount();
    expect(url).toBe(`${serverUrl}/account`);
    const user = inject("expectedIdentity").user as { name: string };
    expect(html).toContain(`<strong id="person-name">${escapeHtml(user.name)}</strong>`);
    expect(html).toContain(`<h3 class="agent-name">Account page agent</h3>`);
    expect(html).toContain(`<code class="client-id">${agent.clientId}</code>`);
  });

  it("revokes an agent from its button: the notice names it and its next call is refused", async () => {
    const agent = await signInHeadless(serverUrl, "Revoked from the page");
    expect((await callWith(agent.accessToken)).status).not.toBe(401);
    const { browser, html } = await openAccount();
    const card = html.slice(html.indexOf("Revoked from the page"));
    const grantId = formField(card, "grant_id");
    const token = formField(html, "token");

    expect((await revoke(browser, { grant_id: grantId, token: "forged" })).status).toBe(403);
    expect((await revoke(browser, { grant_id: grantId, token }, "https://evil.example")).status).toBe(403);
    expect((await revoke(browser, { grant_id: "not-a-grant", token })).status).toBe(404);
    expect((await callWith(agent.accessToken)).status).not.toBe(401);

    const revoked = await revoke(browser, { grant_id: grantId, token });
    expect(revoked.status).toBe(303);
    const after = await browser.go(new URL(revoked.headers.get("location")!, serverUrl).href);
    expect(await after.text()).toContain("Revoked Revoked from the page. Its next call will be refused.");
    expect((await callWith(agent.accessToken)).status).toBe(401);
  });

  it("answers a form from another browser's session with a page, not JSON", async () => {
    const { html } = await openAccount();
    const stranger = new Browser();
    const response = await revoke(stranger, { grant_id: formField(html, "grant_id") || "x", token: formField(html, "token") });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  });
});
