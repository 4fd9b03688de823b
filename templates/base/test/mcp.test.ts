import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { packs } from "../src/tools/index.js";
import { connect, postFromRebindingPage, postInitialize } from "./client.js";

const serverUrl = inject("serverUrl");

describe("MCP over Streamable HTTP", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(serverUrl);
  });
  afterAll(() => client?.close());

  it("initializes and names itself after the package", () => {
    expect(client.getServerVersion()?.name).toBe(pkg.name);
  });

  it("offers exactly the tools of the selected packs", async () => {
    const expected = packs.flatMap((pack) => pack.tools.map((tool) => tool.name)).sort();
    if (expected.length === 0) {
      expect(client.getServerCapabilities()?.tools).toBeUndefined();
    } else {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(expected);
    }
  });

  it("answers on localhost as well as 127.0.0.1", async () => {
    // GET /: with sign-in, tokens are bound to the exact origin they were issued for, so /mcp would refuse them here.
    const response = await fetch(serverUrl.replace("127.0.0.1", "localhost"));
    expect(response.status).toBe(200);
  });
});

describe("Origin check", () => {
  it("accepts requests without an Origin (MCP clients send none)", async () => {
    expect((await postInitialize(serverUrl)).status).toBe(200);
  });

  it("rejects a web page from an unknown origin with 403 and says how to allow it", async () => {
    const response = await postInitialize(serverUrl, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("forbidden_origin");
    expect(body.message).toContain("https://evil.example");
    expect(body.message).toContain("ALLOWED_ORIGINS");
  });

  it("accepts origins listed in ALLOWED_ORIGINS, with CORS headers", async () => {
    const origin = inject("allowedOrigin");
    const response = await postInitialize(serverUrl, { origin });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("accepts local web pages while the server runs locally", async () => {
    expect((await postInitialize(serverUrl, { origin: "http://localhost:5173" })).status).toBe(200);
  });

  it("rejects a DNS-rebinding page that names itself in Host and Origin", async () => {
    expect(await postFromRebindingPage(serverUrl, "rebind.example")).toBe(403);
  });
});

describe("HTTP", () => {
  it("describes itself at /", async () => {
    const response = await fetch(serverUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ mcp: `${serverUrl}/mcp` });
  });

  it("answers 404 elsewhere and 405 to GET /mcp", async () => {
    expect((await fetch(`${serverUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${serverUrl}/mcp`)).status).toBe(405);
  });
});
