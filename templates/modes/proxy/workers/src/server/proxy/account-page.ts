import { brandHeader, escapeHtml, htmlPage, type ServerBrand } from "../html.js";
import type { SignedInPerson } from "./person-session.js";

/** One agent the person allowed, as the page lists it. */
export interface AgentRow {
  grantId: string;
  name: string;
  clientId: string;
  /** Where its access was sent: a host name, or a native app's scheme. */
  redirectHost: string | null;
  permissions: string[];
  allowedAt: string;
  lastCallAt: string | null;
}

export interface CallRow {
  at: string;
  tool: string;
  outcome: string;
  clientId: string;
  agent: string;
}

export interface OrderRow {
  at: string;
  size: string;
  shipTo: string;
  agent: string;
}

export interface AccountView {
  brand: ServerBrand;
  person: SignedInPerson;
  agents: AgentRow[];
  calls: CallRow[];
  /** Null: this server has no shop. */
  orders: OrderRow[] | null;
  /** A sentence at the top, e.g. after a revocation. */
  notice: string | null;
  /** The form token of this session (CSRF). */
  token: string;
}

/** An ISO time as people read it, in UTC (the page runs no script to know their time zone). */
const when = (iso: string) => `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace("T", " "))} UTC</time>`;

function signedInAs(person: SignedInPerson): string {
  const name = person.name ?? person.email ?? person.id;
  const email = person.email && person.email !== name ? ` <span id="person-email">(${escapeHtml(person.email)})</span>` : "";
  return `<p class="person" id="signed-in">Signed in with ${escapeHtml(person.signedInWith)} as <strong id="person-name">${escapeHtml(name)}</strong>${email}.</p>`;
}

const tokenField = (token: string) => `<input type="hidden" name="token" value="${escapeHtml(token)}">`;

function agentItem(agent: AgentRow, token: string): string {
  const permissions = agent.permissions.length
    ? agent.permissions.map((p) => `<code>${escapeHtml(p)}</code>`).join(", ")
    : "none (it uses the tools as you, without extra permissions)";
  const lines = [
    ["Client id", `<code class="client-id">${escapeHtml(agent.clientId)}</code>`],
    ["Access sent to", agent.redirectHost ? `<span class="redirect-host">${escapeHtml(agent.redirectHost)}</span>` : "unknown"],
    ["Permissions", `<span class="permissions">${permissions}</span>`],
    ["Allowed", when(agent.allowedAt)],
    ["Last call", agent.lastCallAt ? `<span class="last-call">${when(agent.lastCallAt)}</span>` : `<span class="last-call">never</span>`],
  ];
  return `<li class="agent" data-grant="${escapeHtml(agent.grantId)}"><h3 class="agent-name">${escapeHtml(agent.name)}</h3>
<dl>${lines.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("")}</dl>
<form method="post" action="/account/revoke"><input type="hidden" name="grant_id" value="${escapeHtml(agent.grantId)}">${tokenField(token)}<button type="submit" class="danger" aria-label="Revoke ${escapeHtml(agent.name)}">Revoke</button></form></li>`;
}

function agentList(agents: AgentRow[], token: string): string {
  if (agents.length === 0) return `<p id="agents" class="muted">No agent has access now. When you allow one, it appears here.</p>`;
  return `<ul id="agents" class="cards">${agents.map((a) => agentItem(a, token)).join("")}</ul>`;
}

const OUTCOME_WORDS: Record<string, string> = {
  ok: "done",
  error: "failed",
  confirmation_requested: "waited for you to confirm",
  "denied:person": "refused: only a person may do this",
  "denied:permission": "refused: it lacks a permission",
  "denied:quota": "refused: over a limit",
};

/** An audit outcome in words a person reads (`not_confirmed:decline` → "not done: you declined"). */
function outcomeWords(outcome: string): string {
  if (OUTCOME_WORDS[outcome]) return OUTCOME_WORDS[outcome];
  const [kind, detail] = outcome.split(":", 2);
  if (kind === "not_confirmed") return detail === "decline" ? "not done: you declined" : "not done: you did not confirm";
  if (kind === "refused" && detail) return `refused: ${detail.replaceAll("_", " ")}`;
  return outcome;
}

function callList(calls: CallRow[]): string {
  if (calls.length === 0) return `<p id="calls" class="muted">No calls yet. When an agent uses a tool for you, it appears here.</p>`;
  const item = (call: CallRow) =>
    `<li>${when(call.at)} <code>${escapeHtml(call.tool)}</code> — ${escapeHtml(outcomeWords(call.outcome))}, through <span class="agent">${escapeHtml(call.agent)}</span></li>`;
  return `<ul id="calls" class="log">${calls.map(item).join("")}</ul>`;
}

function orderList(orders: OrderRow[]): string {
  if (orders.length === 0) return `<p id="orders" class="muted">No orders yet.</p>`;
  const item = (order: OrderRow) =>
    `<li>${when(order.at)} MCP t-shirt, size ${escapeHtml(order.size)}, for ${escapeHtml(order.shipTo)}, through <span class="agent">${escapeHtml(order.agent)}</span></li>`;
  return `<ul id="orders" class="log">${orders.map(item).join("")}</ul>`;
}

/** The person's own page: who they are, the agents they allowed (each revocable), what those did for them. */
export function accountPage({ brand, person, agents, calls, orders, notice, token }: AccountView): string {
  const noticeLine = notice ? `<p class="notice" id="notice" role="status">${escapeHtml(notice)}</p>` : "";
  return htmlPage(
    `Your account at ${brand.name}`,
    `${brandHeader(brand)}
<h1>Your account</h1>
${signedInAs(person)}
${noticeLine}
<h2>Agents you allowed</h2>
${agentList(agents, token)}
<h2>Recent calls</h2>
${callList(calls)}
${orders === null ? "" : `<h2>Orders</h2>\n${orderList(orders)}`}
<form method="post" action="/sign-out" class="sign-out">${tokenField(token)}<button type="submit">Sign out</button></form>`,
  );
}
