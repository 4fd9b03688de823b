import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { brandHeader, escapeHtml, htmlPage, type ServerBrand } from "../html.js";
import { definedScopes, isPermissionScope, MCP_SCOPE } from "./scopes.js";
import type { ToolLine } from "./tool-list.js";
import type { UpstreamPerson } from "./upstream-client.js";

const SCOPE_TEXT: Record<string, string> = {
  [MCP_SCOPE]: "Use this server's tools as you",
  offline_access: "Stay signed in (refresh its access without asking you again)",
};
const PERMISSION_TEXT = "A permission: granted only if you already hold it";

export interface ConsentView {
  details: ConsentDescription;
  handle: string;
  brand: ServerBrand;
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

function scopeList(requested: string[]): string {
  // Scopes this server does not define are never granted, so they are not shown either.
  const defined = definedScopes(requested);
  const scopes = defined.length > 0 ? defined : [MCP_SCOPE];
  const text = (scope: string) => SCOPE_TEXT[scope] ?? (isPermissionScope(scope) ? PERMISSION_TEXT : undefined);
  const items = scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code>${text(scope) ? ` — ${escapeHtml(text(scope)!)}` : ""}</li>`).join("");
  return `<ul id="scopes">${items}</ul>`;
}

/** The consent page, once the person signed in: which agent, who they are, where its access goes, what it may do. */
export function consentPage({ details, handle, brand, person, upstreamName, tools }: ConsentView): string {
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
<h2>What it asks for</h2>
${scopeList(details.scope)}
<form class="actions" method="post" action="/authorize">
<input type="hidden" name="handle" value="${escapeHtml(handle)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="muted">You can revoke its access later. Not you? Choose Deny, sign out of ${escapeHtml(upstreamName)} and start connecting again from your app.</p>`,
  );
}
