import {
  CLIENT_CAPABILITIES_META_KEY,
  type CallToolResult,
  createRequestStateCodec,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type RequestStateCodec,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { sha256Hex } from "../sha256.js";
import { SettingsError, type Settings } from "../settings.js";
import { randomToken } from "../base64url.js";
import { ToolError, type ToolContext, type ToolDef, type ToolPack } from "../../tools/types.js";

/**
 * Confirmation by the person: a tool in CONFIRM_TOOLS runs only once the signed-in person confirmed the exact call.
 * A 2026-07-28 client that can elicit gets an `input_required` round carrying the pending call in a request state
 * signed with REQUEST_STATE_KEY (no server-side session); its answer comes back with that state, which runs the call
 * once: the state's nonce is spent by an atomic insert in the person's own store. A client that cannot ask the person
 * gets the auth layer's confirmation page where it has one (proxy mode), else a tool error saying what it needs.
 * Nothing an argument says is ever a confirmation.
 */

/** The pending call a confirmation state carries (signed, not encrypted: no secret goes in it). */
export interface PendingCall {
  tool: string;
  args_sha256: string;
  subject: string;
  client_id: string | null;
  nonce: string;
}

/** What the request state of a confirmation round holds (a tool's own rounds use other fields). */
interface ConfirmationState {
  confirm?: PendingCall;
}

/** How long a person has to answer, in seconds (the state's expiry, and the confirmation page's). */
export const CONFIRM_TTL_S = 600;
/** Spent nonces are kept past the state's expiry, so a replay is always seen. */
const SPENT = "confirmations";
const INPUT_KEY = "confirm";

/** A confirmation the person gave on the server's own page (proxy mode) for a call still to come. */
export interface PageConfirmation {
  /** The nonce that the confirmed call spends. */
  nonce: string;
  /** The person who confirmed (their user id). */
  by: string;
}

/** Where the auth layer lets a person confirm in a page, for clients that cannot ask them (proxy mode). */
export interface ConfirmationPage {
  /** A confirmation the person gave on the page for exactly this pending call, if any (not yet spent). */
  confirmed(pending: Omit<PendingCall, "nonce">, ctx: ToolContext): Promise<PageConfirmation | null>;
  /** The page's URL for this pending call, to show the person. */
  url(pending: Omit<PendingCall, "nonce">, message: string, ctx: ToolContext): Promise<string>;
}

export interface ConfirmationPolicy {
  /** The tools that need a confirmation. */
  tools: ReadonlySet<string>;
  /** Signs the rounds' request state; null when REQUEST_STATE_KEY is unset outside development. */
  codec: RequestStateCodec<Record<string, unknown>> | null;
  page?: ConfirmationPage;
}

/** The confirmation a call ended with, for its audit record. */
export type ConfirmationRecord = { confirmation: "requested" | "confirmed" | "declined"; confirmation_by?: string | null; confirmation_via?: "elicitation" | "page" };

/** What the check decided: run the tool (after a confirmation, or none needed), or answer `result` instead. */
export type ConfirmationStep =
  | { run: true; record: ConfirmationRecord | null }
  | { run: false; result: CallToolResult | InputRequiredResult; outcome: string; record: ConfirmationRecord };

const toolSets = new WeakMap<Settings, Set<string>>();
const codecs = new Map<string, RequestStateCodec<Record<string, unknown>>>();
let developmentKey: string | undefined; // made at the first request (Workers make no random values at start-up)

/** The codec for `key` (made once per key: key import is not per request). */
function codecFor(key: string): RequestStateCodec<Record<string, unknown>> {
  let codec = codecs.get(key);
  if (!codec) codecs.set(key, (codec = createRequestStateCodec<Record<string, unknown>>({ key, ttlSeconds: CONFIRM_TTL_S })));
  return codec;
}

/** The tools CONFIRM_TOOLS names (unset: those marked `confirm`); a name that is no tool here is a SettingsError. */
export function confirmationTools(packs: readonly ToolPack[], settings: Settings): Set<string> {
  const tools = packs.flatMap((pack) => pack.tools);
  if (settings.confirmTools === null) return new Set(tools.filter((tool) => tool.confirm).map((tool) => tool.name));
  const unknown = settings.confirmTools.filter((name) => !tools.some((tool) => tool.name === name));
  if (unknown.length) {
    throw new SettingsError(`CONFIRM_TOOLS: ${unknown.join(", ")} is not a tool of this server (its tools: ${tools.map((t) => t.name).join(", ")}; \`none\` turns confirmation off).`);
  }
  return new Set(settings.confirmTools);
}

/** The policy for one request: REQUEST_STATE_KEY signs; a development server without one makes a key at its first request. */
export function confirmationPolicy(packs: readonly ToolPack[], settings: Settings, development: boolean, page?: ConfirmationPage): ConfirmationPolicy {
  const key = settings.requestStateKey ?? (development ? (developmentKey ??= randomToken()) : null);
  let tools = toolSets.get(settings);
  if (!tools) toolSets.set(settings, (tools = confirmationTools(packs, settings)));
  return { tools, codec: key ? codecFor(key) : null, ...(page ? { page } : {}) };
}

/** The question the person is asked: the tool's own (`confirm`), else the tool and its exact arguments. */
function question(tool: ToolDef, args: Record<string, unknown>, ctx: ToolContext): string {
  return tool.confirm?.(args as never, ctx) ?? `Run ${tool.title ?? tool.name} with ${JSON.stringify(args)}?`;
}

/** Whether the client said, on this 2026-07-28 request, that it can show the person a form (elicitation). */
function canElicitForm(ctx: ToolContext): boolean {
  const capabilities = ctx.mcp?.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY as never] as { elicitation?: { form?: object; url?: object } } | undefined;
  const elicitation = capabilities?.elicitation;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

const answerSchema = (message: string) => z.object({ confirm: z.boolean().describe(message) });

const nothingDone = (tool: ToolDef, action: string): CallToolResult => {
  const body = { status: "not_confirmed", action, message: `The person did not confirm ${tool.name} (${action}): nothing was done.` };
  return { content: [{ type: "text", text: JSON.stringify(body) }], structuredContent: body };
};

/** Spends `nonce` in the caller's own store, once: true for the one call that spent it. */
async function spend(ctx: ToolContext, nonce: string, pending: Omit<PendingCall, "nonce">): Promise<boolean> {
  const record = { id: `confirmation_${nonce}`, owner: ctx.subject, at: new Date().toISOString(), data: { ...pending } };
  const spent = await ctx.store.insert(SPENT, record, { ttlS: 2 * CONFIRM_TTL_S, uniqueKey: nonce });
  return spent.status === "inserted";
}

/** The check before a tool in `policy.tools` runs (after its permission, before quotas: asking is not a call). */
export async function confirmCall(tool: ToolDef, args: Record<string, unknown>, ctx: ToolContext, policy: ConfirmationPolicy): Promise<ConfirmationStep> {
  if (!policy.tools.has(tool.name)) return { run: true, record: null };
  const person = ctx.identity.user?.id ?? null;
  const pending = { tool: tool.name, args_sha256: await sha256Hex(JSON.stringify(args)), subject: ctx.subject, client_id: ctx.identity.client_id };
  const message = question(tool, args, ctx);

  // An answer: the SDK verified the state's signature and expiry before this handler ran (else -32602).
  const state = ctx.mcp?.mcpReq.requestState<ConfirmationState>();
  const answered = policy.codec && typeof state === "object" && state !== null ? state.confirm : undefined;
  if (answered) {
    const sameCall = answered.tool === pending.tool && answered.args_sha256 === pending.args_sha256;
    if (!sameCall || answered.subject !== pending.subject || answered.client_id !== pending.client_id) {
      throw new ToolError(
        "confirmation_mismatch",
        sameCall
          ? "This confirmation was given to another person or agent, so it does not count here. Nothing was done."
          : "This confirmation was for another call (a different tool or arguments). Nothing was done.",
      );
    }
    const answer = inputResponse(ctx.mcp?.mcpReq.inputResponses, INPUT_KEY);
    if (answer.kind === "elicit") {
      const accepted = answer.action === "accept" && answerSchema(message).safeParse(answer.content).data?.confirm === true;
      if (!accepted) {
        const action = answer.action === "accept" ? "decline" : answer.action;
        return { run: false, result: nothingDone(tool, action), outcome: `not_confirmed:${action}`, record: { confirmation: "declined", confirmation_by: person, confirmation_via: "elicitation" } };
      }
      if (!(await spend(ctx, answered.nonce, pending))) {
        throw new ToolError("confirmation_used", "This confirmation was used already: the call it confirmed ran once. Call again to be asked again.");
      }
      return { run: true, record: { confirmation: "confirmed", confirmation_by: person, confirmation_via: "elicitation" } };
    }
  }

  const asked: ConfirmationRecord = { confirmation: "requested" };
  if (canElicitForm(ctx)) {
    if (!policy.codec) {
      throw new ToolError(
        "confirmation_unavailable",
        `${tool.name} runs only after the person confirms it, and this server cannot ask: REQUEST_STATE_KEY is not set. ` +
          "Set it to a random value of at least 32 characters (`openssl rand -hex 32`), or change CONFIRM_TOOLS (`none` turns confirmation off).",
      );
    }
    const requestState = await policy.codec.mint({ confirm: { ...pending, nonce: randomToken() } });
    const form = inputRequired.elicit({ message, requestedSchema: answerSchema(message) });
    return { run: false, result: inputRequired({ inputRequests: { [INPUT_KEY]: form }, requestState }), outcome: "confirmation_requested", record: asked };
  }

  if (policy.page) {
    const given = await policy.page.confirmed(pending, ctx);
    if (given && (await spend(ctx, given.nonce, pending))) return { run: true, record: { confirmation: "confirmed", confirmation_by: given.by, confirmation_via: "page" } };
    const url = await policy.page.url(pending, message, ctx);
    const body = {
      error: "confirmation_required",
      message: `${message} The person has to confirm this first: show them ${url} . Once they confirmed, call ${tool.name} again with the same arguments within ${CONFIRM_TTL_S / 60} minutes.`,
      confirmation_url: url,
    };
    return { run: false, result: { isError: true, content: [{ type: "text", text: JSON.stringify(body) }] }, outcome: "confirmation_requested", record: asked };
  }

  throw new ToolError(
    "confirmation_unsupported",
    `${tool.name} runs only after the person confirms it, and this client cannot ask them: it needs a client that supports ` +
      `elicitation (MCP 2026-07-28). The server's CONFIRM_TOOLS setting lists the tools that need confirmation (\`none\` turns it off).`,
  );
}
