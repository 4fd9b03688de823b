import { describe, expect, it } from "vitest";
import { serverBrand, titleFromPackageName } from "../src/server/server-name.js";
import { readSettings, SettingsError } from "../src/server/settings.js";

describe("the name and logo pages show (src/server/server-name.ts)", () => {
  it("titles the package name the way people write it", () => {
    expect(titleFromPackageName("my-mcp-server")).toBe("My MCP Server");
    expect(titleFromPackageName("@acme/tools-for-the-api")).toBe("Tools for the API");
    expect(titleFromPackageName("github_oauth.helper")).toBe("GitHub OAuth Helper");
  });

  it("takes SERVER_NAME and an https SERVER_LOGO_URL when they are set", () => {
    expect(serverBrand(readSettings({ SERVER_NAME: " Acme Tools ", SERVER_LOGO_URL: "https://example.com/logo.png" }))).toEqual({
      name: "Acme Tools",
      logoUrl: "https://example.com/logo.png",
    });
    expect(serverBrand(readSettings({})).logoUrl).toBeNull();
  });

  it("refuses a logo that is not https", () => {
    expect(() => readSettings({ SERVER_LOGO_URL: "http://example.com/logo.png" })).toThrow(SettingsError);
    expect(() => readSettings({ SERVER_LOGO_URL: "javascript:alert(1)" })).toThrow(/SERVER_LOGO_URL/);
  });
});
