import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContextOptions, Locator } from "playwright-core";
import { launchChromium, startAgentPage } from "../helpers/browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { authorizeUrl, pkce, registerClient, startProxyServer, tokenRequest } from "../helpers/proxy-oauth.js";
import type { RunningServer } from "../helpers/server.js";

// The pages a person sees in a real browser (Debian's chromium through playwright-core): the consent page after
// sign-in, what it shows and how it fits a phone, that its `__Host-` cookies work on http://127.0.0.1 under
// `wrangler dev`, Allow all the way back to the agent, Deny, and an error page. Screenshots go to CMA_SCREENSHOT_DIR
// (to look at) or the test's own temp folder.

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const LOGO_URL = "https://logo.example/consent-app.png";
// A 1×1 PNG, served for LOGO_URL inside the browser (the page may load https images only, and nothing here has network).
const LOGO_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhgHA2b8VMQAAAABJRU5ErkJggg==", "base64");

let work: ReturnType<typeof tempDir>;
let fake: WorkosFake;
let server: RunningServer;
let browser: Browser;
let agent: Awaited<ReturnType<typeof startAgentPage>>;
let origin: string;
let agentCallback: string;

beforeAll(async () => {
  work = tempDir("proxy-browser");
  const project = await generate(work.dir, "consent-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,audit,admin"]);
  fake = await startWorkosFake([
    { id: "user_01GRACE", email: "grace@example.com", firstName: "Grace", lastName: "Hopper", organizationId: "org_01NAVY", role: "admin", permissions: ["audit:read"] },
  ]);
  ({ server, origin } = await startProxyServer(project.dir, fake, { SERVER_LOGO_URL: LOGO_URL }));
  agent = await startAgentPage();
  agentCallback = agent.callback;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  agent?.close();
  await server?.stop();
  await fake?.close();
  work?.cleanup();
});

const screenshotPath = (name: string) => path.join(process.env.CMA_SCREENSHOT_DIR ?? work.dir, name);

async function newPage(options: BrowserContextOptions = {}) {
  const context = await browser.newContext(options);
  await context.route(LOGO_URL, (route) => route.fulfill({ contentType: "image/png", body: LOGO_PNG }));
  return { context, page: await context.newPage() };
}

/** Registers an agent and opens its authorization: the browser signs in at the WorkOS stand-in and lands on the consent page. */
async function openConsent(clientName: string, scope?: string, options: BrowserContextOptions = {}) {
  const registered = (await (await registerClient(origin, { client_name: clientName, redirect_uris: [agentCallback] })).json()) as { client_id: string };
  const state = randomBytes(8).toString("hex");
  const { verifier, challenge } = pkce();
  const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: agentCallback, state, scope, code_challenge: challenge, code_challenge_method: "S256" });
  const { context, page } = await newPage(options);
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  expect(page.url().startsWith(`${origin}/callback?`)).toBe(true); // signed in first, then asked
  return { page, context, state, verifier, clientId: registered.client_id };
}

/** Whether a locator sits wholly inside a viewport `width` wide and `height` high, as it is scrolled now. */
async function inViewport(locator: Locator, width: number, height: number): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height;
}

describe("consent page in Chromium", () => {
  it("after sign-in, shows the agent, where its access goes and what it asks for; Allow returns a code to the agent", async () => {
    const { page, context, state } = await openConsent("Claude <Desktop>");
    expect(await page.locator("#client-name").textContent()).toBe("Claude <Desktop>");
    expect(await page.locator("#redirect-host").textContent()).toBe("127.0.0.1");
    expect(await page.locator("#scopes").textContent()).toContain("mcp");
    expect(await page.locator("#loopback-warning").isVisible()).toBe(true);
    expect(await page.title()).toContain("Claude <Desktop>");
    // The binding cookie is a __Host- cookie the browser kept (Chromium treats http://127.0.0.1 as secure).
    const cookies = await context.cookies(origin);
    expect(cookies.some((c) => c.name.startsWith("__Host-") && c.secure && c.httpOnly && c.sameSite === "Lax")).toBe(true);

    await Promise.all([page.waitForURL((url) => url.toString().startsWith(agentCallback)), page.getByRole("button", { name: "Allow" }).click()]);
    const back = new URL(page.url());
    expect(back.searchParams.get("code")).toBeTruthy();
    expect(back.searchParams.get("state")).toBe(state);
    expect(back.searchParams.get("iss")).toBe(origin);
    expect(await page.textContent("body")).toContain("agent got it");
    await context.close();
  });

  it("lists only the scopes this server issues: a permission she holds as a ticked box, one she lacks as not available", async () => {
    const { page, context } = await openConsent("Greedy agent", "mcp audit:read admin:grants made:up");
    const items = await page.locator("#scopes li").allInnerTexts();
    expect(items).toEqual([
      expect.stringMatching(/^mcp — Use this server's tools as you$/),
      "audit:read — A permission you hold: untick it to keep it from this agent",
      "admin:grants — Not available: you do not hold this permission, so it cannot be granted",
    ]);
    const held = page.getByRole("checkbox", { name: /audit:read/ });
    const lacking = page.getByRole("checkbox", { name: /admin:grants/ });
    expect([await held.isChecked(), await held.isEnabled()]).toEqual([true, true]);
    expect([await lacking.isChecked(), await lacking.isEnabled()]).toEqual([false, false]);
    expect(await page.locator("body").innerText()).not.toContain("made:up");
    await context.close();
  });

  it("grants what she leaves ticked: unticking audit:read keeps it out of the agent's token", async () => {
    const { page, context, clientId, verifier } = await openConsent("Picky agent", "mcp audit:read admin:grants", PHONE);
    await page.getByRole("checkbox", { name: /audit:read/ }).uncheck();
    expect(await page.getByRole("checkbox", { name: /audit:read/ }).isChecked()).toBe(false);
    await page.screenshot({ path: screenshotPath("consent-scopes.png"), fullPage: true });
    await Promise.all([page.waitForURL((url) => url.toString().startsWith(agentCallback)), page.getByRole("button", { name: "Allow" }).click()]);
    const code = new URL(page.url()).searchParams.get("code")!;
    const tokens = await tokenRequest(origin, { grant_type: "authorization_code", code, redirect_uri: agentCallback, code_verifier: verifier, client_id: clientId });
    expect(((await tokens.json()) as { scope: string }).scope).toBe("mcp");
    await context.close();
  });

  it("Deny sends the agent access_denied and no code", async () => {
    const { page, context, state } = await openConsent("Second run");
    await Promise.all([page.waitForURL((url) => url.toString().startsWith(agentCallback)), page.getByRole("button", { name: "Deny" }).click()]);
    const back = new URL(page.url());
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe(state);
    expect(back.searchParams.get("code")).toBeNull();
    await context.close();
  });

  it("fits a phone: names the server, who signed in and the tools, with both buttons in view and nothing to scroll sideways", async () => {
    const { page, context } = await openConsent("Phone agent", undefined, PHONE);
    await page.screenshot({ path: screenshotPath("consent-phone.png"), fullPage: true });
    expect(await page.locator("#server-name").innerText()).toBe("Consent App");
    expect(await page.evaluate<boolean>(`(() => { const img = document.getElementById("server-logo"); return img.complete && img.naturalWidth > 0; })()`)).toBe(true);
    expect(await page.locator("#signed-in").innerText()).toBe("Signed in with WorkOS AuthKit as Grace Hopper (grace@example.com).");
    expect(await page.locator("#tools li").allInnerTexts()).toEqual([
      "whoami — Shows who this server thinks is calling.",
      "audit_log — Who called which tool through which agent, and how it ended.",
      "list_grants — Lists the agents (OAuth clients) a person has let act for them.",
      "revoke_grant — Revokes an agent's access.",
    ]);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    const allow = page.getByRole("button", { name: "Allow" });
    const deny = page.getByRole("button", { name: "Deny" });
    await allow.scrollIntoViewIfNeeded();
    expect(await inViewport(allow, 375, 667)).toBe(true);
    expect(await inViewport(deny, 375, 667)).toBe(true);
    await context.close();
  });

  it("shows an error as a page saying what happened and what to do, readable on a phone", async () => {
    const registered = (await (await registerClient(origin, { client_name: "Misdirected", redirect_uris: [agentCallback] })).json()) as { client_id: string };
    const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: "https://attacker.example/cb", state: "s", code_challenge: pkce().challenge, code_challenge_method: "S256" });
    const { page, context } = await newPage(PHONE);
    const response = await page.goto(url);
    expect(response?.status()).toBe(400);
    await page.screenshot({ path: screenshotPath("error-phone.png"), fullPage: true });
    expect(await page.title()).toBe("This connection cannot go on");
    expect(await page.locator("#server-name").innerText()).toBe("Consent App");
    expect(await page.locator("#problem").innerText()).toBe("Invalid redirect URI.");
    expect(await page.locator("#advice").innerText()).toBe("Start connecting again from your app.");
    expect(await inViewport(page.locator("#advice"), 375, 667)).toBe(true);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await context.close();
  });

  it("cannot be shown inside another site's frame", async () => {
    const registered = (await (await registerClient(origin, { client_name: "Framed", redirect_uris: [agentCallback] })).json()) as { client_id: string };
    const url = authorizeUrl(origin, { client_id: registered.client_id, redirect_uri: agentCallback, state: "s", code_challenge: pkce().challenge, code_challenge_method: "S256" });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route("http://evil.test/", (route) => route.fulfill({ contentType: "text/html", body: `<iframe id="f" src="${url}"></iframe>` }));
    await page.goto("http://evil.test/");
    await page.waitForTimeout(1_000);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const framedText = frame ? await frame.locator("body").innerText({ timeout: 2_000 }).catch(() => "") : "";
    expect(framedText).not.toContain("Allow");
    await context.close();
  });
});
