import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { definedScopes, isPermissionScope, MCP_SCOPE } from "./scopes.js";

/** Everything on these pages that came from a client (name, URIs, scopes) is escaped: clients choose it. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const SCOPE_TEXT: Record<string, string> = {
  [MCP_SCOPE]: "Use this server's tools as you",
  offline_access: "Stay signed in (refresh its access without asking you again)",
};
const PERMISSION_TEXT = "A permission: granted only if you already hold it";

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}
h1{font-size:1.4rem}.note{background:#fff4e5;border-left:4px solid #f0a030;padding:.5rem .75rem}
ul{padding-left:1.2rem}button{font:inherit;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:6px;border:1px solid #888;cursor:pointer}
button[value=approve]{background:#1a56db;color:#fff;border-color:#1a56db}code{font-size:.95em}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** The consent page: which agent, where its access goes, what it may do; Allow or Deny. */
export function consentPage(details: ConsentDescription, handle: string, serverName: string, upstreamName: string): string {
  const name = escapeHtml(details.clientName);
  const publisher = details.clientDomain
    ? `<p>Published by <strong id="client-domain">${escapeHtml(details.clientDomain)}</strong>.</p>`
    : `<p>This app registered itself; its name is not verified.</p>`;
  const loopback = details.redirectIsLoopback
    ? `<p class="note" id="loopback-warning"><strong>This sends access to an app on your computer.</strong> Continue only if you just started connecting it yourself.</p>`
    : "";
  // Scopes this server does not define are never granted, so they are not shown either.
  const defined = definedScopes(details.scope);
  const scopes = defined.length > 0 ? defined : [MCP_SCOPE];
  const scopeText = (scope: string) => SCOPE_TEXT[scope] ?? (isPermissionScope(scope) ? PERMISSION_TEXT : undefined);
  const scopeList = scopes
    .map((scope) => `<li><code>${escapeHtml(scope)}</code>${scopeText(scope) ? ` — ${escapeHtml(scopeText(scope)!)}` : ""}</li>`)
    .join("");
  return page(
    `Allow ${details.clientName}?`,
    `<h1>Allow <span id="client-name">${name}</span> to use ${escapeHtml(serverName)} as you?</h1>
${publisher}
<p>Its access will be sent to <strong id="redirect-host">${escapeHtml(details.redirectHost)}</strong>.</p>
${loopback}
<p>It asks for:</p><ul id="scopes">${scopeList}</ul>
<p>If you allow it, you will sign in with ${escapeHtml(upstreamName)} next. You can revoke its access later.</p>
<form method="post" action="/authorize">
<input type="hidden" name="handle" value="${escapeHtml(handle)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/** A page for errors that must not be redirected to a client (unverified client or redirect URI, expired form). */
export function errorPage(status: number, message: string, headers = new Headers()): Response {
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("content-security-policy", "frame-ancestors 'none'");
  headers.set("x-frame-options", "DENY");
  headers.set("cache-control", "no-store");
  return new Response(page("Sign-in problem", `<h1>That did not work</h1><p id="error">${escapeHtml(message)}</p>`), { status, headers });
}
