import { describe, expect, it } from "vitest";
import { githubAdmins } from "../src/sign-in.js";

describe("GITHUB_ADMINS (src/upstream.ts)", () => {
  it("takes numeric account ids", () => {
    expect([...githubAdmins({ GITHUB_ADMINS: " 583231, 9919 " })]).toEqual(["583231", "9919"]);
    expect(githubAdmins({}).size).toBe(0);
  });

  it("refuses a login, which can be renamed and taken by someone else, and says where to find the id", () => {
    expect(() => githubAdmins({ GITHUB_ADMINS: "583231,octocat" })).toThrow(/"octocat" is not a numeric GitHub account id.*https:\/\/api\.github\.com\/users\/octocat/);
  });
});
