import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium (`apt-get install chromium`), headless, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** An agent's own redirect target on 127.0.0.1: a page saying it got the answer. */
export async function startAgentPage(): Promise<{ callback: string; close: () => void }> {
  const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<p>agent got it</p>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { callback: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, close: () => server.close() };
}
