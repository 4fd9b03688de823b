import type { Context, Hono } from "hono";
import type { AppEnv } from "../app.js";
import { randomToken } from "../base64url.js";
import { brandHeader, escapeHtml, htmlPage, pageHeaders } from "../html.js";
import { messagePage } from "../message-page.js";
import { packSetting } from "../pack-settings.js";
import { recordAudit } from "../policy/audit-trail.js";
import { CONFIRM_TTL_S, type ConfirmationPage, type PendingCall } from "../policy/confirmation.js";
import { serverBrand } from "../server-name.js";
import { personSubject } from "../subject.js";
import type { Store } from "../store/store.js";
import { errorPage } from "./error-page.js";
import { failureResponse } from "./failures.js";
import { formRefusal, formToken, type SignedInPerson, signedInPerson, startPersonSignIn } from "./person-session.js";
import type { ProxyBindings } from "./proxy-types.js";

/**
 * Confirmation on this server's own page, for an agent whose client cannot ask the person (every 2025-era client):
 * the tool call answers with a link to /confirm/<id> (the pending call waits in OAUTH_KV for ten minutes under that
 * random id). The person signs in there (person-session.ts) — only the person the call is for may answer — sees the
 * exact call and confirms it with the page's form (its token bound to their sign-in; the link works once). A
 * confirmation is then kept in the person's own store for ten minutes; the agent's retry of the same call (same tool,
 * arguments and agent) spends it once (policy/confirmation.ts) and runs.
 */

type PendingCallOf = Omit<PendingCall, "nonce">;

interface PagePending {
  pending: PendingCallOf;
  question: string;
  agent: string;
}

/** A confirmation given on the page, waiting for the agent's retry. */
interface Given {
  nonce: string;
  by: string;
  exp: number;
}

export const CONFIRM_PATH = "/confirm";
const kvOf = (c: Context<AppEnv>) => (c.env as unknown as ProxyBindings).OAUTH_KV;
const pageKey = (id: string) => `confirm-page:${id}`;
const givenKey = (p: PendingCallOf) => `confirmed:${p.tool}:${p.args_sha256}:${p.client_id ?? ""}`;

/** Where proxy mode's tool calls send a person to confirm (the auth layer's `confirmationPage`). */
export function confirmationPageFor(c: Context<AppEnv>): ConfirmationPage {
  return {
    async confirmed(pending, ctx) {
      const raw = await ctx.store.getState(pending.subject, givenKey(pending));
      const given = raw ? (JSON.parse(raw) as Given) : null;
      return given && given.exp > Date.now() / 1000 ? { nonce: given.nonce, by: given.by } : null;
    },
    async url(pending, question, ctx) {
      const id = randomToken();
      const page: PagePending = { pending, question, agent: ctx.identity.client_name ?? ctx.identity.client_id ?? "An agent" };
      await kvOf(c).put(pageKey(id), JSON.stringify(page), { expirationTtl: CONFIRM_TTL_S });
      return `${c.var.origin}${CONFIRM_PATH}/${id}`;
    },
  };
}

const GONE = {
  title: "This confirmation link has expired",
  problem: "It was opened more than ten minutes after the agent asked, or it was answered already.",
  advice: "Ask the agent to try again: it will give you a new link.",
};
const NOT_YOURS = {
  title: "This confirmation is for someone else",
  problem: "The agent asked on behalf of another person than the one signed in here, so you cannot answer for them.",
  advice: "Sign out (on your account page), then open the link again and sign in as the person who uses that agent.",
};

async function recordDecision(c: Context<AppEnv>, store: Store, person: SignedInPerson, page: PagePending, confirmation: "confirmed" | "declined") {
  const { tool, client_id, args_sha256 } = page.pending;
  const data = { user_id: person.id, identity_kind: "person", client_id, client_name: page.agent, tool, args_sha256, confirmation, confirmation_by: person.id, confirmation_via: "page" };
  await recordAudit(store, page.pending.subject, "confirmation", data, packSetting(c));
}

function confirmPage(c: Context<AppEnv>, id: string, person: SignedInPerson, page: PagePending, token: string): Response {
  const brand = serverBrand(c.var.settings);
  const name = person.name ?? person.email ?? person.id;
  const body = `${brandHeader(brand)}
<h1>Confirm what <span id="agent-name">${escapeHtml(page.agent)}</span> wants to do</h1>
<p class="person" id="signed-in">Signed in with ${escapeHtml(person.signedInWith)} as <strong id="person-name">${escapeHtml(name)}</strong>.</p>
<p id="question" class="note"><strong>${escapeHtml(page.question)}</strong></p>
<p class="muted">Tool: <code id="tool">${escapeHtml(page.pending.tool)}</code>. Nothing happens until you confirm; then the agent's next try of exactly this runs it once, within ten minutes.</p>
<form method="post" action="${CONFIRM_PATH}/${escapeHtml(id)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p class="actions">
<button type="submit" name="decision" value="confirm" class="primary">Confirm</button>
<button type="submit" name="decision" value="decline">Don't do it</button>
</p>
</form>`;
  return new Response(htmlPage(`Confirm: ${page.question}`, body), { headers: pageHeaders() });
}

/** GET /confirm/:id shows the pending call to the person it is for; POST /confirm/:id records their answer, once. */
export function confirmationRoutes(app: Hono<AppEnv>): void {
  app.get(`${CONFIRM_PATH}/:id`, async (c) => {
    const brand = serverBrand(c.var.settings);
    try {
      const id = c.req.param("id");
      const person = await signedInPerson(c);
      if (!person) return startPersonSignIn(c, `${CONFIRM_PATH}/${encodeURIComponent(id)}`);
      const page = await kvOf(c).get<PagePending>(pageKey(id), "json");
      if (!page) return errorPage(410, GONE, brand);
      if (personSubject(person.id) !== page.pending.subject) return errorPage(403, NOT_YOURS, brand);
      return confirmPage(c, id, person, page, await formToken(c, person));
    } catch (error) {
      return failureResponse(error, brand);
    }
  });

  app.post(`${CONFIRM_PATH}/:id`, async (c) => {
    const brand = serverBrand(c.var.settings);
    try {
      const id = c.req.param("id");
      const person = await signedInPerson(c);
      if (!person) return errorPage(401, { title: "You are signed out", problem: "Your sign-in ended, so nothing was confirmed.", advice: "Open the link again to sign in." }, brand);
      const form = await c.req.parseBody();
      const refusal = await formRefusal(c, person, form.token);
      if (refusal) return errorPage(403, refusal, brand);
      const page = await kvOf(c).get<PagePending>(pageKey(id), "json");
      if (!page) return errorPage(410, GONE, brand);
      if (personSubject(person.id) !== page.pending.subject) return errorPage(403, NOT_YOURS, brand);
      await kvOf(c).delete(pageKey(id)); // the link answers once
      const store = c.var.platform.store(c);
      if (form.decision !== "confirm") {
        await recordDecision(c, store, person, page, "declined");
        return messagePage(200, { title: "Not confirmed", problem: `Nothing was done: ${page.agent} cannot do this without your confirmation.`, advice: "You can close this page.", brand });
      }
      const given: Given = { nonce: randomToken(), by: person.id, exp: Math.floor(Date.now() / 1000) + CONFIRM_TTL_S };
      await store.setState(page.pending.subject, givenKey(page.pending), JSON.stringify(given));
      await recordDecision(c, store, person, page, "confirmed");
      return messagePage(200, { title: "Confirmed", problem: `${page.agent} may now do this once: ${page.question}`, advice: "Go back to your agent and tell it to go ahead; it has ten minutes.", brand });
    } catch (error) {
      return failureResponse(error, brand);
    }
  });
}
