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
}

/** A setting has a value this server cannot use; the message says which and why. */
export class SettingsError extends Error {
  override name = "SettingsError";
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
  };
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
