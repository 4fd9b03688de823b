import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect } from "./client.js";

const json = (result: Awaited<ReturnType<Client["callTool"]>>) => JSON.parse((result.content as { text: string }[])[0]!.text);

describe("admin", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(inject("serverUrl"));
  });
  afterAll(() => client?.close());

  it("lists the caller's own grants, including this test's agent", async () => {
    const { grants } = json(await client.callTool({ name: "list_grants", arguments: {} }));
    expect(grants.length).toBeGreaterThan(0);
    expect(grants[0]).toMatchObject({ grant_id: expect.any(String), client_id: expect.any(String), created_at: expect.any(String) });
  });

  it("refuses someone else's grants without admin:grants, naming it", async () => {
    const result = await client.callTool({ name: "list_grants", arguments: { user_id: "user_someone_else" } });
    expect(result.isError).toBe(true);
    expect(json(result)).toMatchObject({ error: "permission_denied", permission: "admin:grants" });
  });
});
