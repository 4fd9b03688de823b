import { brandHeader, escapeHtml, htmlPage, pageHeaders, type ServerBrand } from "./html.js";

/** What a person reads when a page is all there is to say: what happened, then what to do, in whole sentences. */
export interface Message {
  /** The page title and heading, e.g. "This server is not set up yet". */
  title: string;
  problem: string;
  advice: string;
  /** Items shown between the two (e.g. the settings to fix). */
  list?: string[];
  /** The server's name (and logo) at the top, where the request's settings are known. */
  brand?: ServerBrand;
}

/** A page for any browser route (JSON stays for API routes). */
export function messagePage(status: number, message: Message, headers?: Headers): Response {
  const list = message.list?.length ? `\n<ul id="items">${message.list.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>` : "";
  const body = `${message.brand ? brandHeader(message.brand) : ""}
<h1 id="title">${escapeHtml(message.title)}</h1>
<p id="problem">${escapeHtml(message.problem)}</p>${list}
<p id="advice">${escapeHtml(message.advice)}</p>`;
  return new Response(htmlPage(message.title, body), { status, headers: pageHeaders(headers) });
}

/** A browser asking for a page (as opposed to an API client asking for JSON). */
export const wantsHtml = (request: Request) => (request.headers.get("accept") ?? "").includes("text/html");
