import type { Context, Hono } from "hono";
import type { AppEnv } from "../app.js";
import { grantDetailsOf, revokeGrant } from "../grants.js";
import { pageHeaders } from "../html.js";
import { packSetting } from "../pack-settings.js";
import { AUDIT, recordGrantRevocation } from "../policy/audit-trail.js";
import { serverBrand } from "../server-name.js";
import { SettingsError } from "../settings.js";
import type { Store } from "../store/store.js";
import { personSubject } from "../subject.js";
import { accountPage, type AgentRow, type CallRow, type OrderRow } from "./account-page.js";
import { HAS_ORDERS, ordersOf } from "./account-orders.js";
import { errorPage } from "./error-page.js";
import { settingsPage } from "./failures.js";
import { formRefusal, formToken, type SignedInPerson, signedInPerson, startPersonSignIn } from "./person-session.js";
import type { ProxyBindings } from "./proxy-types.js";
import { isPermissionScope } from "./scopes.js";

export const ACCOUNT_PATH = "/account";
const RECENT_CALLS = 20;

const oauthOf = (c: Context<AppEnv>) => (c.env as unknown as ProxyBindings).OAUTH_PROVIDER;
const text = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

/** Where an agent's access goes, as people recognise it: the host of its redirect URI, or a native app's scheme. */
function redirectHost(uri: string | null | undefined): string | null {
  if (!uri) return null;
  try {
    const url = new URL(uri);
    return url.protocol === "http:" || url.protocol === "https:" ? url.hostname : url.protocol.replace(/:$/, "");
  } catch {
    return null;
  }
}

async function latestCall(store: Store, userId: string, clientId: string): Promise<string | null> {
  const { records } = await store.list(AUDIT, { owner: personSubject(userId), limit: 1, where: { kind: "call", client_id: clientId } });
  return records[0]?.at ?? null;
}

async function agentsOf(c: Context<AppEnv>, store: Store, userId: string): Promise<AgentRow[]> {
  const oauth = oauthOf(c);
  return Promise.all(
    (await grantDetailsOf(oauth, userId)).map(async (grant) => ({
      grantId: grant.grant_id,
      name: grant.client_name,
      clientId: grant.client_id,
      redirectHost: redirectHost(grant.redirect_uri ?? (await oauth.lookupClient(grant.client_id))?.redirectUris[0]),
      permissions: grant.scope.filter(isPermissionScope),
      allowedAt: grant.created_at,
      lastCallAt: await latestCall(store, userId, grant.client_id),
    })),
  );
}

/** The person's latest calls, as the audit trail recorded them. */
async function callsOf(store: Store, userId: string): Promise<CallRow[]> {
  const { records } = await store.list(AUDIT, { owner: personSubject(userId), limit: RECENT_CALLS, where: { kind: "call" } });
  return records.map((r) => ({
    at: r.at,
    tool: text(r.data.tool, "?"),
    outcome: text(r.data.outcome, "?"),
    clientId: text(r.data.client_id, ""),
    agent: text(r.data.client_name, text(r.data.client_id, "an agent")),
  }));
}

async function ordersFor(store: Store, userId: string, agentName: (clientId: string) => string): Promise<OrderRow[] | null> {
  if (!HAS_ORDERS) return null;
  return (await ordersOf(store, userId)).map((r) => ({ at: r.at, size: text(r.data.size, "?"), shipTo: text(r.data.name, "?"), agent: agentName(text(r.data.client_id, "")) }));
}

/** The notice after a revocation (`?revoked=<grant id>`): only for one the audit trail says this person revoked here. */
async function revokedNotice(store: Store, person: SignedInPerson, grantId: string | undefined): Promise<string | null> {
  if (!grantId) return null;
  const { records } = await store.list(AUDIT, { owner: personSubject(person.id), limit: 1, where: { kind: "revocation", grant_id: grantId } });
  const record = records[0];
  if (!record || record.data.revoked_by !== person.id) return null;
  return `Revoked ${text(record.data.client_name, "the agent")}. Its next call will be refused.`;
}

/** A page for what went wrong, never JSON: settings the operator has to fix, or anything else. */
function failure(c: Context<AppEnv>, error: unknown): Response {
  const brand = serverBrand(c.var.settings);
  if (error instanceof SettingsError) return settingsPage(error, brand);
  console.error(error);
  return errorPage(500, { title: "Something went wrong", problem: "This page could not be shown.", advice: "Try again in a minute." }, brand);
}

/**
 * GET /account: the signed-in person's own page (sign-in first, `person-session.ts`); POST /account/revoke: one of
 * their grants revoked, from that page only (the session's form token, and the Origin when sent), recorded in the
 * audit trail as revoked by them on the account page.
 */
export function accountRoutes(app: Hono<AppEnv>): void {
  app.get(ACCOUNT_PATH, async (c) => {
    try {
      const person = await signedInPerson(c);
      if (!person) return startPersonSignIn(c, ACCOUNT_PATH);
      const store = c.var.platform.store(c);
      const [agents, calls, notice] = await Promise.all([agentsOf(c, store, person.id), callsOf(store, person.id), revokedNotice(store, person, c.req.query("revoked"))]);
      // An order names its agent by client id: its name from the grant, or (revoked since) from its calls.
      const names = new Map([...calls.map((call): [string, string] => [call.clientId, call.agent]), ...agents.map((a): [string, string] => [a.clientId, a.name])]);
      const orders = await ordersFor(store, person.id, (clientId) => names.get(clientId) ?? "an agent you no longer allow");
      const page = accountPage({ brand: serverBrand(c.var.settings), person, agents, calls, orders, notice, token: await formToken(c, person) });
      return new Response(page, { headers: pageHeaders() });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post(`${ACCOUNT_PATH}/revoke`, async (c) => {
    const brand = serverBrand(c.var.settings);
    try {
      const person = await signedInPerson(c);
      if (!person) {
        return errorPage(401, { title: "You are signed out", problem: "Your sign-in to this page ended, so nothing was revoked.", advice: `Open ${c.var.origin}${ACCOUNT_PATH} to sign in again.` }, brand);
      }
      const form = await c.req.parseBody();
      const refusal = await formRefusal(c, person, form.token);
      if (refusal) return errorPage(403, refusal, brand);
      const grant = await revokeGrant(c.env, person.id, text(form.grant_id, ""));
      if (!grant) {
        return errorPage(404, { title: "No such agent", problem: "None of the agents you allowed has this grant; it may have been revoked already.", advice: `Open ${c.var.origin}${ACCOUNT_PATH} to see the agents you allowed.` }, brand);
      }
      await recordGrantRevocation(c.var.platform.store(c), packSetting(c), person.id, grant, person.id, "account_page");
      const location = `${ACCOUNT_PATH}?revoked=${encodeURIComponent(grant.grant_id)}`;
      return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
    } catch (error) {
      return failure(c, error);
    }
  });
}
