import type { Settings } from "./settings.js";

/** localhost, *.localhost, 127.0.0.0/8 and ::1: names and addresses that always mean this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    host === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * This server's own origin: PUBLIC_URL, else the origin the request was sent to.
 * That comes from the Host header, which a DNS-rebinding page controls, so it is only
 * used when `trustRequestHost` or when it names this machine.
 */
export function serverOrigin(settings: Settings, request: Request, trustRequestHost: boolean): string | null {
  if (settings.publicUrl) return settings.publicUrl;
  const url = new URL(request.url);
  return trustRequestHost || isLoopbackHost(url.hostname) ? url.origin : null;
}

/** Why a browser origin may not call /mcp, or null when it may. */
export function rejectOrigin(origin: string | null, server: string | null, settings: Settings): string | null {
  if (origin === null) return null; // not a browser page: MCP clients send no Origin
  if (origin === server || settings.allowedOrigins.includes(origin)) return null;
  if (server !== null && isLoopbackHost(new URL(server).hostname) && isLoopbackOrigin(origin)) return null;
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
