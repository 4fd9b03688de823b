import { describe, expect, inject, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { escapeHtml } from "../src/server/html.js";
import { titleFromPackageName } from "../src/server/server-name.js";
import { summaryOf } from "../src/server/proxy/tool-list.js";
import { packs } from "../src/tools/index.js";
import { openConsent, startAuthorization } from "./oauth-flow.js";

const serverUrl = inject("serverUrl");

describe("the pages a person sees while connecting an agent (proxy mode)", () => {
  it("sends the browser to the sign-in provider first", async () => {
    const authorization = await startAuthorization(serverUrl, "Sign-in first agent");
    const first = await authorization.browser.go(authorization.url);
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get("location")!).origin).not.toBe(new URL(serverUrl).origin);
  });

  it("then asks for consent, naming this server, who signed in and the tools the agent will be able to call", async () => {
    const { html } = await openConsent(await startAuthorization(serverUrl, "Consent page agent"));
    const user = inject("expectedIdentity").user as { name: string; email: string };
    expect(html).toContain(`<span id="server-name">${escapeHtml(titleFromPackageName(pkg.name))}</span>`);
    expect(html).toContain(`<strong id="person-name">${escapeHtml(user.name)}</strong>`);
    expect(html).toContain(`(${escapeHtml(user.email)})`);
    for (const tool of packs.flatMap((p) => p.tools)) expect(html).toContain(`<code>${tool.name}</code> — ${escapeHtml(summaryOf(tool.description))}`);
  });

  it("answers a request it cannot trust with a page saying what happened and what to do, in sentences", async () => {
    const url = `${serverUrl}/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent("https://evil.example/cb")}&code_challenge=x&code_challenge_method=S256`;
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toMatch(/<p id="problem">[A-Za-z][^<]*\.<\/p>/);
    expect(html).toContain(`<p id="advice">Start connecting again from your app.</p>`);
  });

  it("lists each tool by its description's first clause", () => {
    expect(summaryOf("Lists your orders, newest first; with shop:admin, everyone's.")).toBe("Lists your orders, newest first.");
    expect(summaryOf("Shows who is calling: the user, e.g. their id.")).toBe("Shows who is calling.");
    expect(summaryOf("Asks nicely, e.g. after a ban. Then more.")).toBe("Asks nicely, e.g. after a ban.");
  });
});
