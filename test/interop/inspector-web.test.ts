import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { generate } from "../helpers/project.js";
import { type RunningServer, startDevServer } from "../helpers/server.js";

// A newcomer's first run, with nothing written here on the client side: the default create, `npm run dev`, and MCP
// Inspector's web UI (2.12, in Chromium) adding the server by URL, signing in through the development sign-in's page
// and the consent page, then calling whoami. Screenshots are kept beside the test's files (or in CMA_SCREENSHOT_DIR).

const INSPECTOR = "@modelcontextprotocol/inspector@2.12.0";

let work: ReturnType<typeof tempDir>;
let server: RunningServer;
let inspector: ChildProcess;
let inspectorUrl: string;
let browser: Browser;
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(process.env.CMA_SCREENSHOT_DIR ?? work.dir, name) });

beforeAll(async () => {
  work = tempDir("inspector-web");
  const project = await generate(work.dir, "my-mcp-server", ["--yes"]);
  expect(project.json).toMatchObject({ template: "workos", target: "workers", authMode: "proxy" });
  server = await startDevServer(project.dir);
  inspector = spawn("npx", ["--yes", INSPECTOR], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOME: path.join(work.dir, "home"), MCP_INSPECTOR_SECRET_STORE: "memory", MCP_AUTO_OPEN_ENABLED: "false", BROWSER: "none", npm_config_update_notifier: "false" },
  });
  let output = "";
  inspectorUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Inspector did not start:\n${output}`)), 180_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/?\?MCP_INSPECTOR_API_TOKEN=\w+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    inspector.stdout!.on("data", read);
    inspector.stderr!.on("data", read);
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (inspector?.pid) {
    try {
      process.kill(-inspector.pid, "SIGTERM");
    } catch {
      /* gone */
    }
  }
  await server?.stop();
  work?.cleanup();
});

describe("MCP Inspector's web UI against the default project", () => {
  it("adds the server, signs in as the default test person, approves, and whoami names them", async () => {
    const mcp = `http://localhost:${server.port}/mcp`;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(inspectorUrl);
    await page.getByRole("button", { name: "Add Servers" }).click();
    await page.getByRole("menuitem", { name: "Add manually" }).click();
    const dialog = page.locator("[role=dialog]");
    await dialog.locator("input[placeholder=my-server]").fill("my-mcp-server");
    await dialog.locator("input").nth(1).click();
    await page.getByRole("option", { name: "streamable-http" }).click();
    await dialog.locator("input[placeholder*='http']").first().fill(mcp);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("switch", { name: 'Connect or disconnect "my-mcp-server"' }).click({ force: true });

    // The Inspector sends the browser to the server's /authorize, which signs in first: the development sign-in.
    await page.waitForURL((url) => url.pathname === "/dev-sign-in/authorize", { timeout: 60_000 });
    await shot(page, "inspector-1-dev-sign-in.png");
    expect(await page.locator("h1").innerText()).toBe("Sign in to My MCP Server");
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.waitForURL((url) => url.pathname === "/callback");
    await shot(page, "inspector-2-consent.png");
    expect(await page.locator("#signed-in").innerText()).toBe("Signed in with the development sign-in as Ada Lovelace (ada@example.com).");
    expect(await page.locator("body").innerText()).toContain("order_shirt");
    await page.getByRole("button", { name: "Allow" }).click();

    await page.waitForURL((url) => url.href.startsWith(new URL(inspectorUrl).origin), { timeout: 60_000 });
    await expect.poll(() => page.getByText("Connected", { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByText("Tools", { exact: true }).first().click();
    await page.getByText("Who am I?", { exact: true }).first().click();
    await page.getByRole("button", { name: "Execute Tool" }).click();
    await expect.poll(() => page.locator("body").innerText(), { timeout: 30_000 }).toContain('"email": "ada@example.com"');
    await shot(page, "inspector-3-whoami.png");
    const text = await page.locator("body").innerText();
    expect(text).toContain('"role": "admin"');
    expect(text).toContain('"shop:admin"');
    expect(text).toContain("Signed in through the development sign-in");
  });
});
