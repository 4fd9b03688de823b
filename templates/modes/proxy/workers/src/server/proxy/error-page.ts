import type { ServerBrand } from "../html.js";
import { type Message, messagePage } from "../message-page.js";

export type PageMessage = Pick<Message, "title" | "problem" | "advice">;

/** A library's description as a sentence: "Invalid redirect URI" → "Invalid redirect URI."; its own "start again" goes. */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/;\s*start again$/i, "");
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** An HTML page for a sign-in that cannot go on (never a redirect: the client or the request could not be trusted). */
export function errorPage(status: number, message: PageMessage, brand: ServerBrand, headers = new Headers()): Response {
  return messagePage(status, { ...message, brand }, headers);
}
