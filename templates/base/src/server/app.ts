import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import pkg from "../../package.json" with { type: "json" };
import { auth } from "./auth.js";
import { handleMcpRequest } from "./mcp.js";
import type { Platform } from "./platform.js";
import { allowlistRefusal } from "./policy/allowlist.js";
import type { Identity } from "../tools/types.js";
import { FOREIGN_HOST, rejectOrigin } from "./origin.js";
import { readSettings, SettingsError, type Env, type Settings } from "./settings.js";
import { packs, settingNames } from "../tools/index.js";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    settings: Settings;
    /** This server's own origin: PUBLIC_URL, else the request's origin where that can be trusted. */
    origin: string;
  };
};

export interface AppOptions {
  /** This server's origin as the request names it, for when PUBLIC_URL is unset; null where the target cannot trust that. */
  requestOrigin: (c: Context<AppEnv>) => string | null;
  platform: Platform;
}

/** Whose state a call touches: the person, the agent for service tokens, and one shared "anonymous" without sign-in. */
export function subjectOf(identity: Identity): string {
  if (identity.kind === "person" && identity.user) return `user:${identity.user.id}`;
  if (identity.kind === "service" && identity.client_id) return `client:${identity.client_id}`;
  return "anonymous";
}

/** The HTTP app both targets serve: `/` describes the server, `/mcp` speaks MCP. */
export function createApp({ requestOrigin, platform }: AppOptions) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const settings = readSettings(c.env);
    c.set("settings", settings);
    // DNS-rebinding protection: a host name this server cannot vouch for gets nothing, on any route.
    const origin = settings.publicUrl ?? requestOrigin(c);
    if (origin === null) return c.json(FOREIGN_HOST, 403);
    c.set("origin", origin);
    await next();
  });

  app.get("/", (c) =>
    c.json({
      name: pkg.name,
      message: "This is a Model Context Protocol server. Connect an MCP client to the mcp URL (Streamable HTTP).",
      mcp: `${c.var.origin}/mcp`,
    }),
  );

  // DNS-rebinding protection (MCP spec): web pages may only call /mcp from allowed origins.
  app.use("/mcp", async (c, next) => {
    const reason = rejectOrigin(c.req.header("origin") ?? null, c.var.origin, c.var.settings);
    if (reason) return c.json({ error: "forbidden_origin", message: reason }, 403);
    return next();
  });

  app.use(
    "/mcp",
    cors({
      origin: (origin) => origin, // only allowed origins get this far
      allowMethods: ["POST", "OPTIONS"],
      // 2026-07-28 clients send Mcp-Method / Mcp-Name on every request; 2025-era ones may send the others.
      allowHeaders: ["content-type", "accept", "authorization", "mcp-protocol-version", "mcp-method", "mcp-name", "mcp-session-id", "last-event-id"],
      exposeHeaders: ["mcp-session-id", "www-authenticate"],
    }),
  );

  auth.routes?.(app);

  app.post("/mcp", async (c) => {
    const identity = await auth.identify(c, c.var.settings);
    if (identity instanceof Response) return identity; // the auth layer's 401/403 challenge
    const settings = c.var.settings;
    const refusal = allowlistRefusal(identity, settings);
    if (refusal) return c.json({ error: "not_allowed", message: refusal }, 403);
    const store = platform.store(c);
    const subject = subjectOf(identity);
    return handleMcpRequest(
      c.req.raw,
      packs,
      {
        identity,
        subject,
        store,
        setting: (name) => (settingNames.includes(name) ? c.env[name] : undefined),
        grants: platform.grants?.(c),
      },
      {
        store,
        quotaKey: identity.kind === "anonymous" ? `ip:${platform.clientAddress(c)}` : subject,
        callsPerMinute: settings.callsPerMinute,
      },
    );
  });

  // Stateless server: no session stream to GET, no session to DELETE.
  app.all("/mcp", (c) =>
    c.json({ error: "method_not_allowed", message: "Send MCP messages with POST." }, 405, { Allow: "POST" }),
  );

  app.notFound((c) =>
    c.json({ error: "not_found", message: `Nothing at ${c.req.path}. MCP is served at /mcp.` }, 404),
  );

  app.onError((error, c) => {
    if (error instanceof SettingsError) {
      return c.json({ error: "bad_setting", message: error.message }, 500);
    }
    console.error(error);
    return c.json({ error: "internal_error", message: "Internal server error." }, 500);
  });

  return app;
}
