import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { escapeHtml, htmlPage as page, pageHeaders } from "../html.js";
import { definedScopes, isPermissionScope, MCP_SCOPE } from "./scopes.js";

const SCOPE_TEXT: Record<string, string> = {
  [MCP_SCOPE]: "Use this server's tools as you",
  offline_access: "Stay signed in (refresh its access without asking you again)",
};
const PERMISSION_TEXT = "A permission: granted only if you already hold it";

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
  return new Response(page("Sign-in problem", `<h1>That did not work</h1><p id="error">${escapeHtml(message)}</p>`), { status, headers: pageHeaders(headers) });
}
