import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkosFake, type WorkosFake } from "../fakes/workos.js";
import { launchChromium } from "../helpers/browser.js";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { CookieJar, signedInAgent, startProxyServer } from "../helpers/proxy-oauth.js";
import { MCP_MESSAGES, postMcp, type RunningServer, toolJsonOf } from "../helpers/server.js";

// The person's account page in a real browser (Debian's chromium through playwright-core): sign-in through the WorkOS
// stand-in on /callback, a 2025-era agent's order confirmed on the page it links to, the agents listed, Revoke, and how
// it fits a phone. Screenshots go to CMA_SCREENSHOT_DIR (to
// look at) or the test's own temp folder.

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let work: ReturnType<typeof tempDir>;
let fake: WorkosFake;
let server: RunningServer;
let browser: Browser;
let origin: string;
let mcpUrl: string;

beforeAll(async () => {
  work = tempDir("account-browser");
  const project = await generate(work.dir, "account-app", ["-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,audit,shop"]);
  fake = await startWorkosFake([
    { id: "user_01GRACE", email: "grace@example.com", firstName: "Grace", lastName: "Hopper", organizationId: "org_01NAVY", role: "admin", permissions: ["audit:read"] },
  ]);
  ({ server, origin, mcpUrl } = await startProxyServer(project.dir, fake));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  work?.cleanup();
});

const screenshotPath = (name: string) => path.join(process.env.CMA_SCREENSHOT_DIR ?? work.dir, name);
const whoami = (token: string) => postMcp(mcpUrl, MCP_MESSAGES.callTool("whoami", {}), { token });

describe("account page in Chromium", () => {
  it("signs in through the provider to confirm an agent's order, lists the agent, and Revoke ends its access at once; it fits a phone", async () => {
    const agent = await signedInAgent(origin, "Claude <Desktop>", new CookieJar(), "mcp audit:read");
    await signedInAgent(origin, "Cursor on a very long machine name that goes on", new CookieJar());
    expect((await whoami(agent.access_token)).status).toBe(200);
    const order = MCP_MESSAGES.callTool("order_shirt", { size: "L", name: "Grace Hopper", company: "US Navy", address: "1 Harbor Rd" });
    const asked = await toolJsonOf(await postMcp(mcpUrl, order, { token: agent.access_token }));
    expect(asked).toMatchObject({ error: "confirmation_required" });

    // The link the agent shows her: sign-in first, then the exact order and who asks.
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    expect((await page.goto(asked.confirmation_url as string))?.status()).toBe(200);
    expect(page.url()).toBe(asked.confirmation_url);
    expect(await page.locator("#question").innerText()).toBe("Order one L shirt for Grace Hopper, US Navy, to 1 Harbor Rd?");
    expect(await page.locator("#agent-name").innerText()).toBe("Claude <Desktop>");
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await page.screenshot({ path: screenshotPath("confirm-phone.png"), fullPage: true });
    await page.getByRole("button", { name: "Confirm" }).click();
    expect(await page.locator("#title").innerText()).toBe("Confirmed");
    await page.screenshot({ path: screenshotPath("confirmed-phone.png"), fullPage: true });
    expect(await toolJsonOf(await postMcp(mcpUrl, order, { token: agent.access_token }))).toMatchObject({ status: "placed", size: "L" });

    const response = await page.goto(`${origin}/account`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${origin}/account`);
    expect(await page.locator("#signed-in").innerText()).toBe("Signed in with WorkOS AuthKit as Grace Hopper (grace@example.com).");
    const cookies = await context.cookies(origin);
    expect(cookies.find((c) => c.name === "__Host-mcp-person")).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });

    const card = page.locator("li.agent", { has: page.locator("h3", { hasText: "Claude <Desktop>" }) });
    expect(await card.locator(".permissions").innerText()).toBe("audit:read");
    expect(await card.locator(".redirect-host").innerText()).toBe("127.0.0.1");
    expect(await page.locator("#calls li").count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator("#orders li").first().innerText()).toMatch(/MCP t-shirt, size L, for Grace Hopper, through Claude <Desktop>$/);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await page.screenshot({ path: screenshotPath("account-phone.png"), fullPage: true });

    await Promise.all([page.waitForURL((url) => url.searchParams.has("revoked")), card.getByRole("button", { name: /^Revoke/ }).click()]);
    expect(await page.locator("#notice").innerText()).toBe("Revoked Claude <Desktop>. Its next call will be refused.");
    expect(await page.locator("li.agent h3").allInnerTexts()).toEqual(["Cursor on a very long machine name that goes on"]);
    expect(await page.locator("#orders li").first().innerText()).toMatch(/through Claude <Desktop>$/); // named from its calls now
    await page.screenshot({ path: screenshotPath("account-revoked-phone.png"), fullPage: true });
    expect((await whoami(agent.access_token)).status).toBe(401);

    await page.getByRole("button", { name: "Sign out" }).click();
    expect(await page.locator("#title").innerText()).toBe("You are signed out");
    expect((await context.cookies(origin)).some((c) => c.name === "__Host-mcp-person")).toBe(false);
    await context.close();
  });
});
