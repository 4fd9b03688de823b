import { isLoopbackHost } from "./origin.js";

/** Environment variables, as Workers (`env`) and Node (`process.env`) both hand them over. */
export type Env = Record<string, string | undefined>;

export interface Settings {
  /** PUBLIC_URL: this server's own origin, e.g. https://mcp.example.com. Null when unset. */
  publicUrl: string | null;
  /** ALLOWED_ORIGINS: browser origins allowed to call /mcp besides the server's own. */
  allowedOrigins: string[];
  /** HOST: the interface the Node server listens on (Node only). */
  host: string;
  /** PORT: the port the Node server listens on (Node only; on Workers `npm run dev` reads it). */
  port: number;
  /** Access policy: who may use the server (empty lists: every signed-in person). */
  allowedUsers: string[];
  allowedEmailDomains: string[];
  allowedOrgs: string[];
  /** Calls per person (per client address without sign-in) per minute; null: unlimited. */
  callsPerMinute: number | null;
  /** Calls per person through one agent (OAuth client) per minute, besides callsPerMinute; null: unlimited. */
  callsPerMinutePerAgent: number | null;
  /** SERVER_NAME: what the pages people see call this server; null: the package name in title case. */
  serverName: string | null;
  /** SERVER_LOGO_URL: an https logo for those pages, or null. */
  serverLogoUrl: string | null;
  /** CONFIRM_TOOLS: the tools that run only once the person confirms; null: those marked `confirm` (none for `none`). */
  confirmTools: string[] | null;
  /** REQUEST_STATE_KEY: signs the pending calls a person is asked to confirm; null when unset. */
  requestStateKey: string | null;
}

/** A setting has a value this server cannot use; the message says which and why. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Settings already read, per environment object (a Worker's env, the Node server's one copy of its environment). */
const read = new WeakMap<Env, Settings>();

/** readSettings, once per environment object: a server's settings do not change while it runs. */
export function settingsOf(env: Env): Settings {
  let settings = read.get(env);
  if (!settings) read.set(env, (settings = readSettings(env)));
  return settings;
}

export function readSettings(env: Env): Settings {
  const publicUrl = env.PUBLIC_URL?.trim();
  return {
    publicUrl: publicUrl ? toOrigin(publicUrl, "PUBLIC_URL") : null,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean)
      .map((origin) => toOrigin(origin, "ALLOWED_ORIGINS")),
    host: env.HOST?.trim() || "127.0.0.1",
    port: toPort(env.PORT),
    allowedUsers: list(env.ALLOWED_USERS),
    allowedEmailDomains: list(env.ALLOWED_EMAIL_DOMAINS).map((d) => d.toLowerCase().replace(/^@/, "")),
    allowedOrgs: list(env.ALLOWED_ORGS),
    callsPerMinute: toCount(env.CALLS_PER_MINUTE, "CALLS_PER_MINUTE"),
    callsPerMinutePerAgent: toCount(env.CALLS_PER_MINUTE_PER_AGENT, "CALLS_PER_MINUTE_PER_AGENT"),
    serverName: env.SERVER_NAME?.trim() || null,
    serverLogoUrl: toHttpsUrl(env.SERVER_LOGO_URL, "SERVER_LOGO_URL"),
    confirmTools: toConfirmTools(env.CONFIRM_TOOLS),
    requestStateKey: toKey(env.REQUEST_STATE_KEY, "REQUEST_STATE_KEY"),
  };
}

const list = (value: string | undefined) => (value ?? "").split(",").map((v) => v.trim()).filter(Boolean);

/** Unset: the default; `none`: no tool; otherwise the listed tool names. */
function toConfirmTools(value: string | undefined): string[] | null {
  if (!value?.trim()) return null;
  return value.trim().toLowerCase() === "none" ? [] : list(value);
}

/** A signing key of at least 32 characters, or null when unset. */
function toKey(value: string | undefined, name: string): string | null {
  const key = value?.trim();
  if (!key) return null;
  if (key.length < 32) throw new SettingsError(`${name} must be a random value of at least 32 characters (e.g. \`openssl rand -hex 32\`).`);
  return key;
}

/** A whole number ≥ 1, or null when unset. */
function toCount(value: string | undefined, name: string): number | null {
  if (!value?.trim()) return null;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new SettingsError(`${name}: "${value}" is not a whole number of at least 1.`);
  return count;
}

/** A provider's URL setting: https, or plain http only on this machine (a local stand-in); a SettingsError names the setting. */
export function secureUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`${name}: "${value}" is not a URL.`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new SettingsError(`${name}: "${value}" must use https (plain http only for localhost).`);
  }
  return url;
}

/** An https URL (pages load nothing else), or null when unset. */
function toHttpsUrl(value: string | undefined, name: string): string | null {
  if (!value?.trim()) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SettingsError(`${name}: "${value}" is not a URL.`);
  }
  if (url.protocol !== "https:") throw new SettingsError(`${name}: "${value}" must use https.`);
  return url.href;
}

function toOrigin(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`${name}: "${value}" is not a URL (expected e.g. https://app.example.com).`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SettingsError(`${name}: "${value}" must start with https:// or http://.`);
  }
  return url.origin;
}

function toPort(value: string | undefined): number {
  if (!value?.trim()) return 8787;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SettingsError(`PORT: "${value}" is not a port number (0-65535).`);
  }
  return port;
}
