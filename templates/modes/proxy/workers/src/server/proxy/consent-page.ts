import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { brandHeader, escapeHtml, htmlPage, type ServerBrand } from "../html.js";
import { definedScopes, isPermissionScope, MCP_SCOPE } from "./scopes.js";
import type { ToolLine } from "./tool-list.js";
import type { UpstreamPerson } from "./upstream-client.js";

const SCOPE_TEXT: Record<string, string> = {
  [MCP_SCOPE]: "Use this server's tools as you",
  offline_access: "Stay signed in (refresh its access without asking you again)",
};
const HELD_TEXT = "A permission you hold: untick it to keep it from this agent";
const NOT_HELD_TEXT = "Not available: you do not hold this permission, so it cannot be granted";

export interface ConsentView {
  details: ConsentDescription;
  handle: string;
  brand: ServerBrand;
  /** This server's origin, where the person's account page is. */
  origin: string;
  person: UpstreamPerson;
  /** The provider they signed in with, e.g. "GitHub". */
  upstreamName: string;
  tools: ToolLine[];
}

function signedInAs(person: UpstreamPerson, upstreamName: string): string {
  const name = person.name ?? person.email ?? person.id;
  const email = person.email && person.email !== name ? ` <span id="person-email">(${escapeHtml(person.email)})</span>` : "";
  return `<p class="person" id="signed-in">Signed in with ${escapeHtml(upstreamName)} as <strong id="person-name">${escapeHtml(name)}</strong>${email}.</p>`;
}

function toolList(tools: ToolLine[]): string {
  if (tools.length === 0) return `<p id="tools">This server has no tools yet.</p>`;
  const items = tools.map((tool) => `<li><code>${escapeHtml(tool.name)}</code> — ${escapeHtml(tool.summary)}</li>`).join("");
  return `<ul id="tools">${items}</ul>`;
}

/** A permission scope the person holds: a ticked checkbox they may untick; one they do not hold: shown, never grantable. */
function permissionItem(scope: string, held: readonly string[]): string {
  const name = `<code>${escapeHtml(scope)}</code>`;
  if (!held.includes(scope)) {
    return `<li class="unavailable"><label><input type="checkbox" disabled><span>${name} — ${escapeHtml(NOT_HELD_TEXT)}</span></label></li>`;
  }
  return `<li><label><input type="checkbox" name="permission" value="${escapeHtml(scope)}" checked><span>${name} — ${escapeHtml(HELD_TEXT)}</span></label></li>`;
}

function scopeList(requested: string[], held: readonly string[]): string {
  // Scopes this server does not define are never granted, so they are not shown either.
  const defined = definedScopes(requested);
  const scopes = defined.length > 0 ? defined : [MCP_SCOPE];
  const item = (scope: string) =>
    isPermissionScope(scope) ? permissionItem(scope, held) : `<li><code>${escapeHtml(scope)}</code>${SCOPE_TEXT[scope] ? ` — ${escapeHtml(SCOPE_TEXT[scope])}` : ""}</li>`;
  return `<ul id="scopes">${scopes.map(item).join("")}</ul>`;
}

/** The consent page, once the person signed in: which agent, who they are, where its access goes, what it may do. */
export function consentPage({ details, handle, brand, origin, person, upstreamName, tools }: ConsentView): string {
  const server = escapeHtml(brand.name);
  const publisher = details.clientDomain
    ? `<p>Published by <strong id="client-domain">${escapeHtml(details.clientDomain)}</strong>.</p>`
    : `<p>This app registered itself, so its name is not verified.</p>`;
  const loopback = details.redirectIsLoopback
    ? `<p class="note" id="loopback-warning"><strong>This sends access to an app on your computer.</strong> Continue only if you just started connecting it yourself.</p>`
    : "";
  return htmlPage(
    `Allow ${details.clientName} to use ${brand.name}?`,
    `${brandHeader(brand)}
<h1>Allow <span id="client-name">${escapeHtml(details.clientName)}</span> to use ${server} as you?</h1>
${signedInAs(person, upstreamName)}
${publisher}
<p>Its access will be sent to <strong id="redirect-host">${escapeHtml(details.redirectHost)}</strong>.</p>
${loopback}
<h2>Tools it will be able to call</h2>
${toolList(tools)}
<form method="post" action="/authorize">
<h2>What it asks for</h2>
${scopeList(details.scope, person.permissions)}
<input type="hidden" name="handle" value="${escapeHtml(handle)}">
<p class="actions">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</p>
</form>
<p class="muted">You can revoke this later at <a id="account-link" href="/account">${escapeHtml(origin)}/account</a>. Not you? Choose Deny, sign out of ${escapeHtml(upstreamName)} and start connecting again from your app.</p>`,
  );
}
