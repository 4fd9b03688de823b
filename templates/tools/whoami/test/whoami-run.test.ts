import { describe, expect, it } from "vitest";
import { whoamiPack } from "../src/tools/whoami.js";
import { fakeContext, TEST_PERSON } from "./fake-context.js";

// A tool is a plain object: its `run` can be called with a small fake context, no server needed. Copy this file to
// test a tool of your own.
describe("whoami's run, on its own", () => {
  const whoami = whoamiPack.tools.find((tool) => tool.name === "whoami")!;

  it("answers the identity the context carries", async () => {
    expect(await whoami.run({}, fakeContext())).toMatchObject({ kind: "person", user: TEST_PERSON.user, client_id: "test-agent" });
  });
});
