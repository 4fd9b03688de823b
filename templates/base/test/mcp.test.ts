import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { packs } from "../src/tools/index.js";
import { connect, PROTOCOL_VERSION, postDiscover, postFromRebindingPage, postInitialize } from "./client.js";

const serverUrl = inject("serverUrl");

describe("MCP over Streamable HTTP", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(serverUrl);
  });
  afterAll(() => client?.close());

  it("speaks 2026-07-28 and names itself after the package", () => {
    expect(client.getProtocolEra()).toBe("modern");
    expect(client.getServerVersion()?.name).toBe(pkg.name);
  });

  it("serves 2025-era clients from the same URL, without sessions", async () => {
    for (const version of ["2025-11-25", "2025-06-18", "2025-03-26"]) {
      const response = await postInitialize(serverUrl, version);
      expect(response.status, version).toBe(200);
      expect(response.headers.get("mcp-session-id"), version).toBeNull();
      expect(await response.text(), version).toContain(`"protocolVersion":"${version}"`);
    }
  });

  it("answers server/discover with the revisions it speaks", async () => {
    const response = await postDiscover(serverUrl);
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { supportedVersions: string[] } };
    expect(result.supportedVersions).toContain(PROTOCOL_VERSION);
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
    expect((await postDiscover(serverUrl)).status).toBe(200);
  });

  it("rejects a web page from an unknown origin with 403 and says how to allow it", async () => {
    const response = await postDiscover(serverUrl, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("forbidden_origin");
    expect(body.message).toContain("https://evil.example");
    expect(body.message).toContain("ALLOWED_ORIGINS");
  });

  it("accepts origins listed in ALLOWED_ORIGINS, with CORS headers", async () => {
    const origin = inject("allowedOrigin");
    const response = await postDiscover(serverUrl, { origin });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("accepts local web pages while the server runs locally", async () => {
    expect((await postDiscover(serverUrl, { origin: "http://localhost:5173" })).status).toBe(200);
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

describe("Malformed input", () => {
  const post = (body: string | Uint8Array | ReadableStream<Uint8Array>, contentType = "application/json") =>
    fetch(new URL("/mcp", serverUrl), {
      method: "POST",
      headers: { ...inject("authHeaders"), "content-type": contentType, accept: "application/json, text/event-stream", "mcp-protocol-version": PROTOCOL_VERSION, "mcp-method": "tools/list" },
      body,
      // A stream is sent chunked, with no Content-Length: the server counts it as it arrives.
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
  const streamed = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024));
        controller.close();
      },
    });
  };
  const overOneMiB = () => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(1_100_000) } });
  const deep = (levels: number) => `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":${"[".repeat(levels)}${"]".repeat(levels)}}}`;
  const cases: [string, () => Promise<Response>, number][] = [
    ["a body over 1 MiB", () => post(overOneMiB()), 413],
    ["a body over 1 MiB sent without a declared length", () => post(streamed(overOneMiB())), 413],
    ["invalid JSON", () => post('{"jsonrpc": "2.0", "id": 1,'), 400],
    ["a wrong content type", () => post("hello", "text/plain"), 415],
    ["invalid UTF-8", () => post(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400],
    ["JSON nested 10,000 levels deep", () => post(deep(10_000)), 400],
  ];

  it.each(cases)("answers %s with a JSON-RPC error, not a 500, and keeps serving", async (_, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    if (status !== 415) expect(((await response.json()) as { error: { code: number } }).error.code).toBeLessThan(0);
    expect((await postDiscover(serverUrl)).status).toBe(200);
  });
});

describe("Request bodies", () => {
  it("reads a body sent without a declared length (chunked) like one with it", async () => {
    const chunked = await postDiscover(serverUrl, {}, { chunked: true });
    expect(chunked.status).toBe(200);
    expect(await chunked.json()).toEqual(await (await postDiscover(serverUrl)).json());
  });
});

describe("CORS", () => {
  it("lets an allowed web page send the headers a 2026-07-28 client sends", async () => {
    const origin = inject("allowedOrigin");
    const preflight = await fetch(new URL("/mcp", serverUrl), {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,mcp-protocol-version,mcp-method,mcp-name" },
    });
    expect(preflight.status).toBeLessThan(300);
    const allowed = (preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    // "*" stands for every header but Authorization, which must be named (the OAuth server in proxy mode answers so).
    expect(allowed).toContain("authorization");
    for (const header of ["mcp-protocol-version", "mcp-method", "mcp-name"]) expect(allowed.includes(header) || allowed.includes("*"), header).toBe(true);
  });
});
