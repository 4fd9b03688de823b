import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect } from "./client.js";

describe("whoami", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(inject("serverUrl"));
  });
  afterAll(() => client?.close());

  it("is listed as read-only", async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === "whoami")?.annotations?.readOnlyHint).toBe(true);
  });

  it("says who is calling, as the sign-in established it", async () => {
    const result = await client.callTool({ name: "whoami", arguments: {} });
    expect(result.isError).toBeFalsy();
    const identity = result.structuredContent as Record<string, unknown>;
    expect(identity).toMatchObject(inject("expectedIdentity"));
    expect(Object.keys(identity)).toEqual(
      expect.arrayContaining(["kind", "user", "organization", "role", "permissions", "permission_sources", "client_id", "scopes", "expires_at"]),
    );
    if (identity.kind === "anonymous") expect(identity.hint).toMatch(/no sign-in.*npx create-mcp-auth --list/s);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(identity) }]);
  });

  it.skipIf(!inject("serviceHeaders"))("says an agent without a person (client credentials) is a service, with no user", async () => {
    const service = await connect(inject("serverUrl"), inject("serviceHeaders")!);
    try {
      const result = await service.callTool({ name: "whoami", arguments: {} });
      expect(result.structuredContent).toMatchObject({ ...inject("expectedServiceIdentity"), kind: "service", user: null });
    } finally {
      await service.close();
    }
  });
});
