import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/catalog/index.js";
import { tempDir } from "../helpers/cli.js";
import { generate, projectScript } from "../helpers/project.js";
import { CLIENT_ERAS, connectMcp, reboundRequest, startDevServer, toolJson, MCP_MESSAGES, postMcp } from "../helpers/server.js";

// The whole path on both targets: the built CLI → install → typecheck → `PORT=N npm run dev` → the MCP SDK client.
const allPacks = catalog.tools.filter((p) => !p.needs.authModes).map((p) => p.id);
function postInitialize(url: string, origin?: string) {
  return postMcp(url, MCP_MESSAGES.initialize, { headers: origin ? { origin } : {} });
}

let work: ReturnType<typeof tempDir>;
beforeAll(() => {
  work = tempDir("authless");
});
afterAll(() => work.cleanup());

describe.each(catalog.targets.map((t) => t.id))("authless on %s", (target) => {
  it("generates, installs, type-checks, serves MCP and passes its own tests", async () => {
    const project = await generate(work.dir, `authless-${target}`, ["-t", "authless", "--target", target, "--tools", allPacks.join(",")]);
    expect(project.json.steps).toContainEqual({ name: "install", status: "done" });
    await projectScript(project.dir, "typecheck");

    const server = await startDevServer(project.dir, { ALLOWED_ORIGINS: "https://allowed.example" });
    try {
      for (const [host, era] of ["localhost", "127.0.0.1"].flatMap((h) => CLIENT_ERAS.map((e) => [h, e] as const))) {
        const client = await connectMcp(`http://${host}:${server.port}/mcp`, {}, era);
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(catalog.tools.filter((p) => allPacks.includes(p.id)).flatMap((p) => p.tools.map((t) => t.name)).sort());
        const whoami = toolJson(await client.callTool({ name: "whoami", arguments: {} }));
        expect(whoami).toMatchObject({
          kind: "anonymous",
          user: null,
          organization: null,
          role: null,
          permissions: [],
          permission_sources: {},
          client_id: null,
          scopes: [],
          expires_at: null,
        });
        expect(whoami.hint).toMatch(/sign-in/i);
        expect(whoami.hint).toMatch(/create-mcp-auth/);
        await client.close();
      }

      const mcp = `http://127.0.0.1:${server.port}/mcp`;
      const hostile = await postInitialize(mcp, "https://evil.example");
      expect(hostile.status).toBe(403);
      expect(await hostile.json()).toMatchObject({ error: "forbidden_origin" });
      expect((await postInitialize(mcp, "https://allowed.example")).status).toBe(200);
      expect((await postInitialize(mcp, `http://localhost:${server.port}`)).status).toBe(200);
      expect((await postInitialize(mcp)).status).toBe(200);
      // A DNS-rebinding page (its own host name resolved to 127.0.0.1, a forged CF-Connecting-IP) gets nothing.
      for (const [path, method] of [["/mcp", "POST"], ["/", "GET"]] as const) {
        const rebound = await reboundRequest(server.port, path, method);
        expect(rebound.status, `${method} ${path}`).toBe(403);
        expect(JSON.parse(rebound.body), `${method} ${path}`).toMatchObject({ error: "forbidden_host" });
      }
    } finally {
      await server.stop();
    }

    await projectScript(project.dir, "test");
    project.remove();
  });
});

describe("authless on node, in production", () => {
  it("refuses to start without PUBLIC_URL, saying so in one line", async () => {
    const project = await generate(work.dir, "authless-node-prod", ["-t", "authless", "--target", "node", "--tools", "none"]);
    const result = await execa("npm", ["start", "--silent"], {
      cwd: project.dir,
      reject: false,
      stdin: "ignore",
      env: { NODE_ENV: "production", PUBLIC_URL: undefined },
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/PUBLIC_URL/);
    // Off loopback, outside production too: a Host header must not decide the server's own origin.
    const exposed = await execa("npm", ["start", "--silent"], {
      cwd: project.dir,
      reject: false,
      stdin: "ignore",
      env: { HOST: "0.0.0.0", PUBLIC_URL: undefined, NODE_ENV: undefined },
      timeout: 60_000,
    });
    expect(exposed.exitCode).toBe(1);
    expect(exposed.stderr).toMatch(/PUBLIC_URL is not set and HOST=0\.0\.0\.0 is not loopback/);
    project.remove();
  });
});
