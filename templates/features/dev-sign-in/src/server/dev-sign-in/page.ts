import { brandHeader, escapeHtml, htmlPage, type ServerBrand } from "../html.js";
import { DEFAULT_PERSON, TEST_ROLES } from "./people.js";

export interface SignInPageOptions {
  /** Where the form posts to (same origin). */
  action: string;
  /** The authorization request, carried through the form unchanged and checked again when it comes back. */
  request: Record<string, string>;
  brand: ServerBrand;
  /** The app that asked, when known. */
  clientName: string | null;
  /** The provider people will sign in with once it is set up. */
  providerName: string;
  /** Why the last attempt did not work. */
  problem?: string;
}

const roleText = (permissions: readonly string[]) =>
  permissions.length ? `holds every permission this server checks: ${permissions.join(", ")}` : "holds no permission";

/** The development sign-in's page: who you are is whatever you say (this machine only). */
export function signInPage(options: SignInPageOptions): string {
  const hidden = Object.entries(options.request)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const role = (id: keyof typeof TEST_ROLES) =>
    `<label><input type="radio" name="role" value="${id}"${id === DEFAULT_PERSON.role ? " checked" : ""} style="width:auto"> <strong>${id}</strong> — ${escapeHtml(roleText(TEST_ROLES[id]))}</label>`;
  const asking = options.clientName ? ` for <strong id="client-name">${escapeHtml(options.clientName)}</strong>` : "";
  return htmlPage(
    `Development sign-in · ${options.brand.name}`,
    `${brandHeader(options.brand)}
<h1>Sign in to ${escapeHtml(options.brand.name)}${asking}</h1>
<p class="note" id="development-warning"><strong>This is the development sign-in.</strong> ${escapeHtml(options.providerName)} is not set up yet, so you can
be any test person: nobody checks. It works only on this machine. Run <code>npx create-mcp-auth provision</code> to sign in with ${escapeHtml(options.providerName)} instead.</p>
${options.problem ? `<p class="note" id="problem">${escapeHtml(options.problem)}</p>` : ""}
<form method="post" action="${escapeHtml(options.action)}">
${hidden}
<label for="name">Name</label><input id="name" name="name" value="${escapeHtml(DEFAULT_PERSON.name)}" autocomplete="off">
<label for="email">Email</label><input id="email" name="email" type="email" value="${escapeHtml(DEFAULT_PERSON.email)}" autocomplete="off">
<fieldset><legend>Role</legend>
${role("admin")}
${role("member")}
</fieldset>
<div class="actions">
<button type="submit" class="primary" name="decision" value="sign-in">Sign in</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</div>
</form>`,
  );
}
