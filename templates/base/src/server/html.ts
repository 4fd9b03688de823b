/** Everything on a page that came from a request or a client (names, URIs, scopes) is escaped: they choose it. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}
h1{font-size:1.4rem}.note{background:#fff4e5;border-left:4px solid #f0a030;padding:.5rem .75rem}
ul{padding-left:1.2rem}button{font:inherit;padding:.5rem 1.2rem;margin:0 .5rem .5rem 0;border-radius:6px;border:1px solid #888;cursor:pointer}
button.primary,button[value=approve]{background:#1a56db;color:#fff;border-color:#1a56db}code{font-size:.95em}
label{display:block;margin:.6rem 0 .2rem}input,select{font:inherit;padding:.35rem .5rem;width:100%;box-sizing:border-box}
fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0}`;

/** A whole page in this server's frame: readable on a phone, no external assets, no scripts. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** Headers every page gets: never framed, never cached, inline styles only. */
export function pageHeaders(headers = new Headers()): Headers {
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  headers.set("x-frame-options", "DENY");
  headers.set("cache-control", "no-store");
  return headers;
}
