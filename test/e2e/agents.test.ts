import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, tempDir } from "../helpers/cli.js";
import { cli, cloudEnv, EMPTY_CLOUDS, expectNoSecretLeaks, expectOk, readState, startClouds, type Clouds } from "../helpers/provision.js";

// `create-mcp-auth agents add | list | remove` (and destroy) against the WorkOS stand-in, through the real SDK: an agent
// that acts for no person is a machine-to-machine application of one organization, and its secret is given exactly once.

let work: ReturnType<typeof tempDir>;
let clouds: Clouds;
let dir: string;
const ORG = "org_01ANALYTICAL";
const secrets: string[] = [];

beforeAll(async () => {
  work = tempDir("agents");
  clouds = await startClouds();
  const created = await cli(["shop-agents", "-t", "workos", "--target", "workers", "--auth-mode", "proxy", "--tools", "whoami,shop,audit", "--no-install", "--no-git"], work.dir, cloudEnv(clouds));
  expectOk(created);
  dir = path.join(work.dir, "shop-agents");
});
afterAll(async () => {
  await clouds.close();
  work.cleanup();
});

const agentApps = () => [...clouds.workos.provisioning.applications.values()].filter((a) => a.applicationType === "m2m");

describe("create-mcp-auth agents", () => {
  it("refuses what it cannot do safely before creating anything, saying what to do", async () => {
    const env = cloudEnv(clouds);
    const cases: [string[], RegExp][] = [
      [["agents", "add", "nightly", "--organization", ORG], /^The agent's secret is given exactly once: on a terminal it is shown; here .* pass --secret-file PATH/],
      [["agents", "add", "nightly"], /^Missing --organization: an agent belongs to one organization/],
      [["agents", "add", "nightly", "--organization", "acme"], /^--organization "acme" is not a WorkOS organization id/],
      [["agents", "add", "Nightly Report", "--organization", ORG], /^The agent name "Nightly Report" is not one/],
      [["agents", "add", "nightly", "--organization", ORG, "--scopes", "shop:admin,root"], /^--scopes names root, which this project's tools do not check\. Valid: shop:admin, audit:read/],
      [["agents", "add", "nightly", "--organization", ORG, "--secret-file", "nightly.secret"], /^--secret-file nightly\.secret is inside the project, where it could be committed/],
      [["agents", "remove", "nobody"], /^No agent named nobody in \.create-mcp-auth\/state\.json: this project has none\./],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args, dir, env);
      expect(run.exitCode, args.join(" ")).toBe(2);
      expect(run.json.error.message).toMatch(message);
    }
    const taken = path.join(work.dir, "taken.secret");
    fs.writeFileSync(taken, "keep me\n");
    const exists = await cli(["agents", "add", "nightly", "--organization", ORG, "--secret-file", taken], dir, env);
    expect(exists.exitCode).toBe(2);
    expect(exists.json.error.message).toMatch(/exists: the secret is written to a new file only/);
    expect(fs.readFileSync(taken, "utf8")).toBe("keep me\n");
    expect(clouds.workos.snapshot()).toEqual(EMPTY_CLOUDS.workos);
  });

  it("adds an agent of one organization with the scopes asked for; its secret goes to a new 0600 file and nowhere else", async () => {
    const file = path.join(work.dir, "nightly.secret");
    const added = await cli(["agents", "add", "nightly", "--organization", ORG, "--scopes", "audit:read", "--secret-file", file], dir, cloudEnv(clouds));
    expectOk(added);
    const [app] = agentApps();
    expect(app).toMatchObject({ name: "shop-agents agent nightly", organizationId: ORG, scopes: ["audit:read"] });
    expect(added.json.agents).toEqual([{ name: "nightly", clientId: app!.clientId, organizationId: ORG, scopes: ["audit:read"] }]);
    const secret = fs.readFileSync(file, "utf8").trim();
    expect([...app!.secrets.values()]).toEqual([secret]);
    secrets.push(secret);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(added.json.nextSteps[0]).toContain(`curl -s ${clouds.workos.issuer}/oauth2/token `);
    expect(added.json.nextSteps[0]).toMatch(new RegExp(`/oauth2/token -d grant_type=client_credentials -d client_id=${app!.clientId} -d client_secret=<its secret> -d scope="audit:read" -d resource=`));
    expect(readState(dir).resources).toContainEqual({ kind: "workos.m2m_application", name: "nightly", id: app!.id, created: true, details: { clientId: app!.clientId, organizationId: ORG, scopes: "audit:read" } });

    const again = await cli(["agents", "add", "nightly", "--organization", ORG, "--secret-file", path.join(work.dir, "again.secret")], dir, cloudEnv(clouds));
    expect(again.exitCode).toBe(2);
    expect(again.json.error.message).toMatch(/^The agent nightly exists already .*agents remove nightly/);
    expect(agentApps()).toHaveLength(1);
  });

  it("a persistent 500 creating the application fails naming the call; a rerun makes one agent, not two", async () => {
    const file = path.join(work.dir, "flaky.secret");
    clouds.workos.http.fail(/^POST \/connect\/applications$/, { status: 500, times: Number.POSITIVE_INFINITY });
    const failed = await cli(["agents", "add", "flaky", "--organization", ORG, "--secret-file", file], dir, cloudEnv(clouds));
    clouds.workos.http.clearFaults();
    expect(failed.exitCode).toBe(1);
    expect(failed.json.error.message).toMatch(/^The agents command stopped at "WorkOS: create agent application shop-agents agent flaky": .*rerun the same `create-mcp-auth agents` command/);
    expect(fs.existsSync(file)).toBe(false);
    const rerun = await cli(["agents", "add", "flaky", "--organization", ORG, "--secret-file", file], dir, cloudEnv(clouds));
    expectOk(rerun);
    expect(agentApps().filter((a) => a.name === "shop-agents agent flaky")).toHaveLength(1);
    secrets.push(fs.readFileSync(file, "utf8").trim());
    expectOk(await cli(["agents", "remove", "flaky"], dir, cloudEnv(clouds)));
  });

  it("shows the secret once on a terminal, and lists agents without it", async () => {
    // `script` gives the CLI a terminal, as a person's shell does.
    const shown = await execa("script", ["-qec", `${process.execPath} ${BIN} agents add reporter --organization ${ORG} --scopes none`, "/dev/null"], {
      cwd: dir,
      env: { ...process.env, ...cloudEnv(clouds), CI: undefined, npm_config_user_agent: undefined },
      reject: false,
    });
    expect(shown.exitCode, shown.stdout).toBe(0);
    const app = agentApps().find((a) => a.name === "shop-agents agent reporter")!;
    const secret = [...app.secrets.values()][0]!;
    expect(shown.stdout).toContain(`Client secret (shown once, not saved anywhere): ${secret}`);
    secrets.push(secret);

    const listed = await cli(["agents", "list"], dir, cloudEnv(clouds));
    expectOk(listed);
    expect(listed.json.agents.map((a: { name: string; scopes: string[] }) => [a.name, a.scopes])).toEqual([
      ["nightly", ["audit:read"]],
      ["reporter", []],
    ]);
  });

  it("removes an agent (its application is deleted), and destroy removes the rest", async () => {
    const removed = await cli(["agents", "remove", "nightly"], dir, cloudEnv(clouds));
    expectOk(removed);
    expect(removed.json.resources).toContainEqual(expect.objectContaining({ kind: "workos.m2m_application", name: "nightly", action: "deleted" }));
    expect(agentApps().map((a) => a.name)).toEqual(["shop-agents agent reporter"]);
    expect(readState(dir).resources.map((r: { name: string }) => r.name)).toEqual(["reporter"]);

    const destroyed = await cli(["destroy", "-y"], dir, cloudEnv(clouds));
    expectOk(destroyed);
    expect(agentApps()).toEqual([]);
    expect(readState(dir).resources).toEqual([]);
    expectNoSecretLeaks(secrets, [dir]);
  });

  it("is refused, saying why, where the provider has no agents of its own", async () => {
    for (const [template, why] of [
      ["github", /GitHub has no client-credentials grant/],
      ["oidc", /make a client-credentials client at your OIDC issuer instead/],
      ["authless", /has no sign-in/],
    ] as const) {
      const name = `${template}-agents`;
      expectOk(await cli([name, "-t", template, "--target", "workers", "--tools", "whoami", "--no-install", "--no-git"], work.dir, cloudEnv(clouds)));
      const run = await cli(["agents", "add", "x", "--organization", ORG, "--secret-file", path.join(work.dir, `${name}.secret`)], path.join(work.dir, name), cloudEnv(clouds));
      expect(run.exitCode).toBe(2);
      expect(run.json.error).toMatchObject({ code: "agents_unsupported" });
      expect(run.json.error.message).toMatch(why);
    }
  });
});
