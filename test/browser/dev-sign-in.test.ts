import path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, startAgentPage } from "../helpers/browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { pkce } from "../helpers/proxy-oauth.js";
import { type RunningServer, startDevServer } from "../helpers/server.js";

// The development sign-in's page and the "not set up" page in a real browser (Debian's chromium), on a phone-sized
// screen: what a person sees and can press, with screenshots kept beside the test's files (or in CMA_SCREENSHOT_DIR).

const PHONE = { width: 375, height: 740 };

let work: ReturnType<typeof tempDir>;
let server: RunningServer;
let browser: Browser;
let agent: Awaited<ReturnType<typeof startAgentPage>>;
let origin: string;
let agentCallback: string;
const shot = (name: string) => path.join(process.env.CMA_SCREENSHOT_DIR ?? work.dir, name);

beforeAll(async () => {
  work = tempDir("dev-sign-in-browser");
  const project = await generate(work.dir, "shirt-shop", ["-t", "workos", "--target", "node", "--tools", "whoami,shop,audit"]);
  server = await startDevServer(project.dir);
  origin = `http://localhost:${server.port}`;
  agent = await startAgentPage();
  agentCallback = agent.callback;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  agent?.close();
  await server?.stop();
  work?.cleanup();
});

async function openSignIn() {
  const registered = (await (
    await fetch(`${origin}/dev-sign-in/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "Inspector <dev>", redirect_uris: [agentCallback] }) })
  ).json()) as { client_id: string };
  const url = new URL(`${origin}/dev-sign-in/authorize`);
  url.search = new URLSearchParams({ response_type: "code", client_id: registered.client_id, redirect_uri: agentCallback, state: "st4te", code_challenge: pkce().challenge, code_challenge_method: "S256", resource: `${origin}/mcp` }).toString();
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const response = await page.goto(url.href);
  expect(response?.status()).toBe(200);
  return { page, context };
}

/** The element is on screen without scrolling sideways: inside the viewport's width. */
async function fitsWidth(page: import("playwright-core").Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  expect(box, selector).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
}

describe("development sign-in in Chromium, 375 px wide", () => {
  it("says what it is, offers a default test person and both roles, and both buttons fit on a phone", async () => {
    const { page, context } = await openSignIn();
    await page.screenshot({ path: shot("dev-sign-in.png"), fullPage: true });
    expect(await page.title()).toBe("Development sign-in · Shirt Shop");
    expect(await page.locator("h1").innerText()).toBe("Sign in to Shirt Shop for Inspector <dev>");
    expect(await page.locator("#development-warning").innerText()).toContain("It works only on this machine.");
    expect(await page.locator("#development-warning").innerText()).toContain("npx create-mcp-auth provision");
    expect(await page.locator("#name").inputValue()).toBe("Ada Lovelace");
    expect(await page.locator("#email").inputValue()).toBe("ada@example.com");
    const roles = await page.locator("fieldset label").allInnerTexts();
    expect(roles).toEqual([expect.stringContaining("admin — holds every permission this server checks: shop:admin, audit:read"), expect.stringContaining("member — holds no permission")]);
    await fitsWidth(page, "button[value=sign-in]");
    await fitsWidth(page, "button[value=cancel]");
    await fitsWidth(page, "#email");
    const scrollWidth = await page.evaluate("document.documentElement.scrollWidth");
    expect(scrollWidth as number).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  it("Sign in as the form stands sends a code back to the app; Cancel sends access_denied", async () => {
    const signIn = await openSignIn();
    await Promise.all([signIn.page.waitForURL((url) => url.href.startsWith(agentCallback)), signIn.page.getByRole("button", { name: "Sign in" }).click()]);
    const back = new URL(signIn.page.url());
    expect(back.searchParams.get("code")).toBeTruthy();
    expect(back.searchParams.get("state")).toBe("st4te");
    expect(back.searchParams.get("iss")).toBe(origin);
    await signIn.context.close();

    const cancel = await openSignIn();
    await Promise.all([cancel.page.waitForURL((url) => url.href.startsWith(agentCallback)), cancel.page.getByRole("button", { name: "Cancel" }).click()]);
    expect(new URL(cancel.page.url()).searchParams.get("error")).toBe("access_denied");
    await cancel.context.close();
  });

  it("a bad email stays on the page and says what to type", async () => {
    const { page, context } = await openSignIn();
    await page.locator("#email").evaluate((input: { type: string }) => (input.type = "text")); // past the browser's own check
    await page.locator("#email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector("#problem");
    expect(await page.locator("#problem").innerText()).toBe('"not-an-email" is not an email address. Type one such as ada@example.com.');
    await context.close();
  });

  it("an unknown app gets a page saying what happened and what to do, not JSON", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const response = await page.goto(`${origin}/dev-sign-in/authorize?client_id=nobody&redirect_uri=${encodeURIComponent(agentCallback)}`);
    expect(response?.status()).toBe(400);
    await page.screenshot({ path: shot("dev-sign-in-error.png"), fullPage: true });
    expect(await page.title()).toBe("This sign-in cannot continue");
    expect(await page.locator("#problem").innerText()).toMatch(/^This app is not registered here .*\.$/);
    expect(await page.locator("#advice").innerText()).toBe("Start connecting again from your app.");
    await context.close();
  });
});
