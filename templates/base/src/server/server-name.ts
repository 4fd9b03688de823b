import pkg from "../../package.json" with { type: "json" };
import type { ServerBrand } from "./html.js";
import type { Settings } from "./settings.js";

const UPPERCASE = new Set(["ai", "api", "crm", "id", "llm", "mcp", "sdk", "sql", "ui", "url"]);
const SPELLED = new Map([["github", "GitHub"], ["oauth", "OAuth"], ["workos", "WorkOS"]]);
const LOWERCASE = new Set(["a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]);

/** A package name as people would write it: `@acme/my-mcp-server` → "My MCP Server". */
export function titleFromPackageName(name: string): string {
  const words = name.replace(/^@[^/]+\//, "").split(/[-_.\s]+/).filter(Boolean);
  return words
    .map((word, i) => {
      const lower = word.toLowerCase();
      if (UPPERCASE.has(lower)) return lower.toUpperCase();
      if (SPELLED.has(lower)) return SPELLED.get(lower)!;
      if (i > 0 && LOWERCASE.has(lower)) return lower;
      return lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join(" ");
}

/** How the pages people see name this server: SERVER_NAME, else the package name; and SERVER_LOGO_URL. */
export function serverBrand(settings: Settings): ServerBrand {
  return { name: settings.serverName ?? titleFromPackageName(pkg.name), logoUrl: settings.serverLogoUrl };
}
