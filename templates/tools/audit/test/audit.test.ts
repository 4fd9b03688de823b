import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, postToolCall } from "./client.js";

const json = (result: Awaited<ReturnType<Client["callTool"]>>) => JSON.parse((result.content as { text: string }[])[0]!.text);

describe("audit", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(inject("serverUrl"));
  });
  afterAll(() => client?.close());

  const stepUp = inject("stepUp");
  if (!stepUp) it("refuses audit_log to a caller without audit:read, naming the permission", async () => {
    const result = await client.callTool({ name: "audit_log", arguments: {} });
    expect(result.isError).toBe(true);
    expect(json(result)).toMatchObject({ error: "permission_denied", permission: "audit:read" });
  });

  // Where permissions are OAuth scopes, the call is refused before it runs, with a challenge to re-authorize (step-up).
  if (stepUp) it("answers audit_log without the audit:read scope with 403 insufficient_scope, naming every scope it needs", async () => {
    const response = await postToolCall(inject("serverUrl"), "audit_log");
    expect(response.status).toBe(403);
    const challenge = response.headers.get("www-authenticate")!;
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toMatch(/scope="[^"]*\baudit:read\b[^"]*"/);
    expect(challenge).toContain(`resource_metadata="${new URL("/.well-known/oauth-protected-resource/mcp", inject("serverUrl"))}"`);
    await expect(client.callTool({ name: "audit_log", arguments: {} })).rejects.toThrow();
  });

  // Without sign-in nobody holds audit:read, so there is no auditor to test.
  const adminHeaders = inject("adminHeaders");
  if (adminHeaders) it("shows an auditor every call, refusals included, newest first and paged", async () => {
    await client.callTool({ name: "audit_log", arguments: {} }).catch(() => {}); // refused: recorded too
    const auditor = await connect(inject("serverUrl"), adminHeaders);
    const first = json(await auditor.callTool({ name: "audit_log", arguments: { limit: 1 } }));
    expect(first.entries).toHaveLength(1);
    expect(first.next_cursor).toEqual(expect.any(String));
    const { entries } = json(await auditor.callTool({ name: "audit_log", arguments: { limit: 50 } }));
    expect(entries.some((e: { tool: string; outcome: string }) => e.tool === "audit_log" && e.outcome === (stepUp ? "denied:scope" : "denied:permission"))).toBe(true);
    const times = entries.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    await auditor.close();
  });
});
