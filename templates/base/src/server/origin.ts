import type { Settings } from "./settings.js";

/** localhost, *.localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped): names and addresses that always mean this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^(\[?)::ffff:(\d)/, "$1$2");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    host === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * The origin a request was sent to, when its host names this machine; else null. The Host header is the client's
 * to choose (a DNS-rebinding page resolves its own name to 127.0.0.1), so only a loopback one can name this server.
 */
export function loopbackOrigin(request: Request): string | null {
  const url = new URL(request.url);
  return isLoopbackHost(url.hostname) ? url.origin : null;
}

/** The answer to a request whose Host does not name this server (and PUBLIC_URL is unset). */
export const FOREIGN_HOST = {
  error: "forbidden_host",
  message: "This server does not answer to that host name. If it is this server's public address, set PUBLIC_URL to its origin.",
} as const;

/**
 * Why a browser origin may not call /mcp, or null when it may. (Not the SDK's originValidationResponse: that knows a
 * fixed list of host names, while this server also honours PUBLIC_URL, ALLOWED_ORIGINS and local pages in development.)
 */
export function rejectOrigin(origin: string | null, server: string, settings: Settings): string | null {
  if (origin === null) return null; // not a browser page: MCP clients send no Origin
  if (origin === server || settings.allowedOrigins.includes(origin)) return null;
  if (isLoopbackHost(new URL(server).hostname) && isLoopbackOrigin(origin)) return null;
  return (
    `Requests from the web page origin ${origin} are not allowed. ` +
    `If you trust it, add it to the ALLOWED_ORIGINS setting (comma-separated), e.g. ALLOWED_ORIGINS=${origin}`
  );
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false; // e.g. "null" from sandboxed frames and file:// pages
  }
}
