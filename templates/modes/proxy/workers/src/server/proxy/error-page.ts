import { brandHeader, escapeHtml, htmlPage, pageHeaders, type ServerBrand } from "../html.js";

/** What a person reads when something stopped them: what happened, then what to do, each in whole sentences. */
export interface PageMessage {
  title: string;
  problem: string;
  advice: string;
}

/** A library's description as a sentence: "Invalid redirect URI" → "Invalid redirect URI."; its own "start again" goes. */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/;\s*start again$/i, "");
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** An HTML page for a sign-in that cannot go on (never a redirect: the client or the request could not be trusted). */
export function errorPage(status: number, message: PageMessage, brand: ServerBrand, headers = new Headers()): Response {
  const body = `${brandHeader(brand)}
<h1 id="title">${escapeHtml(message.title)}</h1>
<p id="problem">${escapeHtml(message.problem)}</p>
<p id="advice">${escapeHtml(message.advice)}</p>`;
  return new Response(htmlPage(message.title, body), { status, headers: pageHeaders(headers) });
}
