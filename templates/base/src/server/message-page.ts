import { brandHeader, escapeHtml, htmlPage, pageHeaders, type ServerBrand } from "./html.js";

export interface Message {
  /** The page title and heading: what happened, e.g. "This server is not set up yet". */
  title: string;
  /** Whole sentences: what happened, then what to do. */
  paragraphs: string[];
  /** Items shown as a list after the first paragraph (e.g. the settings to fix). */
  list?: string[];
  /** The server's name (and logo) at the top, where the request's settings are known. */
  brand?: ServerBrand;
}

/** A page telling a person what happened and what to do, for any browser route (JSON stays for API routes). */
export function messagePage(status: number, message: Message, headers?: Headers): Response {
  const [first, ...rest] = message.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`);
  const list = message.list?.length ? `<ul id="items">${message.list.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>` : "";
  const body = `${message.brand ? brandHeader(message.brand) : ""}<h1>${escapeHtml(message.title)}</h1>\n<div id="message">${first ?? ""}${list}${rest.join("")}</div>`;
  return new Response(htmlPage(message.title, body), { status, headers: pageHeaders(headers) });
}

/** A browser asking for a page (as opposed to an API client asking for JSON). */
export const wantsHtml = (request: Request) => (request.headers.get("accept") ?? "").includes("text/html");
