import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StepError } from "../../src/errors.js";
import { directoryProblem } from "../../src/options/directory.js";
import { stagingOwner, stagingPathFor, sweepStaleStaging, writeFailure } from "../../src/render/staging.js";

const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "cma-staging-")));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const dir = (name: string) => {
  const d = path.join(work, name);
  fs.mkdirSync(d);
  return d;
};

describe("staging directory names", () => {
  it("are fixed-length, hidden, carry the pid, and are recognised only in that exact shape", () => {
    const staging = path.basename(stagingPathFor("/x", 4242));
    expect(staging).toMatch(/^\.create-mcp-auth-staging-4242-[0-9a-f]{8}$/);
    expect(stagingOwner(staging)).toBe(4242);
    expect(path.basename(stagingPathFor("/x"))).toContain(`-${process.pid}-`);
    for (const other of [".create-mcp-auth-staging-notours", ".create-mcp-auth-staging-0-00000000", ".create-mcp-auth-staging-12-0000000g", ".app.create-mcp-auth-0badc0de", "create-mcp-auth-staging-12-00000000", ".create-mcp-auth-staging-12-00000000/x"]) {
      expect(stagingOwner(other), other).toBeUndefined();
    }
  });

  it("sweeps only real directories of dead runs owned by this user", () => {
    const parent = dir("sweep");
    const keep = dir("sweep-outside");
    const dead = path.join(parent, ".create-mcp-auth-staging-999999999-00000000");
    fs.mkdirSync(path.join(dead, "src"), { recursive: true });
    const live = path.join(parent, `.create-mcp-auth-staging-${process.pid}-00000000`);
    fs.mkdirSync(live);
    fs.writeFileSync(path.join(parent, ".create-mcp-auth-staging-999999998-00000000"), "a file");
    fs.symlinkSync(keep, path.join(parent, ".create-mcp-auth-staging-999999997-00000000"));
    expect(sweepStaleStaging(parent)).toEqual([dead]);
    expect(fs.readdirSync(parent).sort()).toEqual([
      `.create-mcp-auth-staging-${process.pid}-00000000`,
      ".create-mcp-auth-staging-999999997-00000000",
      ".create-mcp-auth-staging-999999998-00000000",
    ].sort());
    expect(sweepStaleStaging(path.join(work, "missing"))).toEqual([]);
  });

  it("turns write errors into failures that say where and what to do, and leaves others alone", () => {
    const denied = Object.assign(new Error("EACCES"), { code: "EACCES", path: "/ro/app" });
    const failure = writeFailure(denied, "/ro/app");
    expect(failure).toBeInstanceOf(StepError);
    expect((failure as StepError).message).toMatch(/Cannot create the project in "\/ro\/app": permission denied \(EACCES at \/ro\/app\)\. Choose a directory you can write to/);
    const other = new Error("template broke");
    expect(writeFailure(other, "/x")).toBe(other);
  });
});

describe("directoryProblem", () => {
  it("accepts a new directory, one under missing parents, and one behind a symbolic link to a directory", () => {
    dir("real");
    fs.symlinkSync(path.join(work, "real"), path.join(work, "via"));
    expect(directoryProblem(path.join(work, "new"))).toBeUndefined();
    expect(directoryProblem(path.join(work, "a/b/c"))).toBeUndefined();
    expect(directoryProblem(path.join(work, "via/app"))).toBeUndefined();
    expect(directoryProblem(path.join(work, "b".repeat(255)))).toBeUndefined();
  });

  it.each([
    ["the target is a symbolic link", "via", /is a symbolic link \(to .*real\): name the directory it points to instead/],
    ["a parent is a file", "file/app", /is a file, not a directory/],
    ["a parent is a dangling link", "dangling/app", /is a symbolic link to .*nowhere, which does not exist/],
    ["a name is over 255 bytes", `${"é".repeat(128)}/app`, /is 256 bytes long; file systems allow at most 255 bytes per name/],
    ["control characters", "a\u0007b", /control characters/],
    ["a C1 control character", "a\u009bb", /control characters/],
    ["node_modules", "node_modules", /"node_modules" is where npm keeps installed packages/],
    ["NODE_MODULES", "NODE_MODULES", /"NODE_MODULES" is where npm keeps installed packages/],
    [".git", ".git", /git's own directory/],
  ])("refuses a directory when %s", (_, name, problem) => {
    if (!fs.existsSync(path.join(work, "file"))) fs.writeFileSync(path.join(work, "file"), "");
    if (!fs.existsSync(path.join(work, "real"))) dir("real");
    if (!fs.lstatSync(path.join(work, "via"), { throwIfNoEntry: false })) fs.symlinkSync(path.join(work, "real"), path.join(work, "via"));
    if (!fs.lstatSync(path.join(work, "dangling"), { throwIfNoEntry: false })) fs.symlinkSync(path.join(work, "nowhere"), path.join(work, "dangling"));
    expect(directoryProblem(path.join(work, name))).toMatch(problem);
  });
});
