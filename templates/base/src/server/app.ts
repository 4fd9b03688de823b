import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import pkg from "../../package.json" with { type: "json" };
import { auth } from "./auth.js";
import { handleMcpRequest } from "./mcp.js";
import type { Platform } from "./platform.js";
import { allowlistRefusal } from "./policy/allowlist.js";
import type { Identity } from "../tools/types.js";
import { messagePage, wantsHtml } from "./message-page.js";
import { packSetting } from "./pack-settings.js";
import { personSubject } from "./subject.js";
import { serverBrand } from "./server-name.js";
import { FOREIGN_HOST, isLoopbackHost, rejectOrigin } from "./origin.js";
import { PROVISION_COMMAND, reportSignIn, signInState, type SignInState } from "./sign-in-state.js";
import { settingsOf, SettingsError, type Env, type Settings } from "./settings.js";
import { packs } from "../tools/index.js";
import { confirmationPolicy } from "./policy/confirmation.js";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    settings: Settings;
    /** This server's own origin: PUBLIC_URL, else the request's origin where that can be trusted. */
    origin: string;
    /** How people sign in for this request: the provider, the development sign-in, or not yet (what to fix). */
    signIn: SignInState;
    /** The target's store and the rest, for routes outside /mcp (proxy mode's consent pages record to the audit trail). */
    platform: Platform;
  };
};

export interface AppOptions {
  /** This server's origin as the request names it, for when PUBLIC_URL is unset; null where the target cannot trust that. */
  requestOrigin: (c: Context<AppEnv>) => string | null;
  platform: Platform;
}

/** Whose state a call touches: the person, the agent for service tokens, and one shared "anonymous" without sign-in. */
export function subjectOf(identity: Identity): string {
  if (identity.kind === "person" && identity.user) return personSubject(identity.user.id);
  if (identity.kind === "service" && identity.client_id) return `client:${identity.client_id}`;
  return "anonymous";
}

/** The HTTP app both targets serve: `/` describes the server, `/mcp` speaks MCP. */
export function createApp({ requestOrigin, platform }: AppOptions) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const settings = settingsOf(c.env);
    c.set("settings", settings);
    c.set("platform", platform);
    // DNS-rebinding protection: a host name this server cannot vouch for gets nothing, on any route.
    const origin = settings.publicUrl ?? requestOrigin(c);
    if (origin === null) return c.json(FOREIGN_HOST, 403);
    c.set("origin", origin);
    // The development sign-in only ever answers a development server, for a request from this machine to a loopback name.
    const local = platform.localDevelopment(c) && isLoopbackHost(new URL(origin).hostname);
    const signIn: SignInState = auth.signIn ? signInState(auth.signIn, c.env, local) : { kind: "none" };
    c.set("signIn", signIn);
    if (auth.signIn) reportSignIn(signIn, auth.signIn);
    await next();
  });

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

  // After CORS, so a browser-based client on an allowed origin can read why (and a preflight still succeeds).
  app.use(async (c, next) => (c.var.signIn.kind === "unready" ? notReady(c, c.var.signIn.problems) : next()));

  auth.routes?.(app);

  app.get("/", (c) => {
    const mcp = `${c.var.origin}/mcp`;
    const message = "This is a Model Context Protocol server. Connect an MCP client to the mcp URL (Streamable HTTP).";
    if (!wantsHtml(c.req.raw)) return c.json({ name: pkg.name, message, mcp });
    const brand = serverBrand(c.var.settings);
    const advice =
      c.var.signIn.kind === "development"
        ? "Sign-in is the development sign-in for now: when your app opens the sign-in page, pick a test person."
        : "Your app signs you in when it first connects.";
    return messagePage(200, { title: brand.name, problem: "This is a Model Context Protocol (MCP) server. Add this URL to your MCP client (Streamable HTTP):", list: [mcp], advice, brand });
  });

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
        setting: packSetting(c),
        grants: platform.grants?.(c),
      },
      {
        store,
        quotaKey: identity.kind === "anonymous" ? `ip:${platform.clientAddress(c)}` : subject,
        callsPerMinute: settings.callsPerMinute,
        agent: identity.client_id,
        callsPerMinutePerAgent: settings.callsPerMinutePerAgent,
        confirmation: confirmationPolicy(packs, settings, platform.localDevelopment(c), auth.confirmationPage?.(c)),
      },
      auth.stepUp ? (permissions) => auth.stepUp!(c, identity, permissions) : undefined,
    );
  });

  // Stateless server: no session stream to GET, no session to DELETE.
  app.all("/mcp", (c) =>
    c.json({ error: "method_not_allowed", message: "Send MCP messages with POST." }, 405, { Allow: "POST" }),
  );

  app.notFound((c) => {
    const message = `Nothing is at ${c.req.path}. This MCP server is served at ${c.var.origin ?? ""}/mcp.`;
    if (wantsHtml(c.req.raw)) return messagePage(404, { title: "Page not found", problem: message, advice: "Check the address, or connect your MCP client to the /mcp URL.", brand: serverBrand(c.var.settings) });
    return c.json({ error: "not_found", message }, 404);
  });

  app.onError((error, c) => {
    if (error instanceof SettingsError) {
      if (wantsHtml(c.req.raw)) {
        return messagePage(500, { title: "A setting needs fixing", problem: error.message, advice: "Fix the setting, then restart the server (or redeploy) and try again." });
      }
      return c.json({ error: "bad_setting", message: error.message }, 500);
    }
    console.error(error);
    if (wantsHtml(c.req.raw)) return messagePage(500, { title: "Something went wrong", problem: "The server failed to answer this request. Its log says why.", advice: "Try again; if it keeps happening, look at the server's log." });
    return c.json({ error: "internal_error", message: "Internal server error." }, 500);
  });

  return app;
}

/** Every route while sign-in cannot work: a page for people, the same message as JSON for MCP clients and APIs. */
function notReady(c: Context<AppEnv>, problems: string[]): Response {
  const message = `Sign-in is not set up on this server yet: ${problems.join(" ")} \`${PROVISION_COMMAND}\` fills the settings in.`;
  if (wantsHtml(c.req.raw)) {
    return messagePage(503, {
      title: "This server is not set up yet",
      problem: "Nobody can sign in until these settings are fixed:",
      advice: `Run \`${PROVISION_COMMAND}\` in the project to fill them in, or set them by hand (see the project's README), then try again.`,
      list: problems,
      brand: serverBrand(c.var.settings),
    });
  }
  return c.json({ error: "sign_in_not_configured", message, problems }, 503);
}
