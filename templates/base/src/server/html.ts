/** Everything on a page that came from a request or a client (names, URIs, scopes) is escaped: they choose it. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2.5rem auto;padding:0 1.25rem;color:#1b1b1f;overflow-wrap:anywhere}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 1rem}h2{font-size:1rem;margin:1.5rem 0 .4rem}
.note{background:#fff4e5;border-left:4px solid #f0a030;padding:.5rem .75rem}
ul{padding-left:1.2rem}li{margin:.25rem 0}button{font:inherit;padding:.5rem 1.2rem;margin:0 .5rem .5rem 0;border-radius:6px;border:1px solid #888;background:#fff;color:inherit;cursor:pointer}
button.primary,button[value=approve]{background:#1a56db;color:#fff;border-color:#1a56db}code{font-size:.95em}
label{display:block;margin:.6rem 0 .2rem}input,select{font:inherit;padding:.35rem .5rem;width:100%;box-sizing:border-box}
fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0}
#scopes{list-style:none;padding-left:0}#scopes label{display:flex;gap:.55rem;align-items:baseline;margin:0}
#scopes input{flex:none;width:auto;margin:0;transform:translateY(.1em)}
#scopes .unavailable{color:#6b6b74}
.brand{display:flex;align-items:center;gap:.6rem;font-weight:600;color:#3d3d45;margin-bottom:1.5rem}
.brand img{width:40px;height:40px;border-radius:8px;object-fit:contain}
.person{background:#f2f4f8;border-radius:8px;padding:.6rem .8rem}.muted{color:#55555e;font-size:.93rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0 1rem}.actions button{flex:1 1 8rem;margin:0;padding:.7rem 1rem}
.notice{background:#e9f6ec;border-left:4px solid #2e7d45;padding:.5rem .75rem}
.cards{list-style:none;padding:0}.cards>li{border:1px solid #d6d8de;border-radius:8px;padding:.75rem .9rem;margin:.75rem 0}
.cards h3{font-size:1.05rem;margin:0 0 .4rem}.cards button{margin:0}button.danger{color:#b42318;border-color:#d0807a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:0 0 .75rem;font-size:.93rem}dt{color:#55555e}dd{margin:0;min-width:0}
.log{padding-left:1.1rem;font-size:.93rem}.log li{margin:.4rem 0}.sign-out{margin-top:2rem}`;

/** A whole page in this server's frame: readable on a phone, no external assets, no scripts. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** What the top of a page shows: the server's name, and its logo when it has one (https only). */
export interface ServerBrand {
  name: string;
  logoUrl: string | null;
}

export function brandHeader(brand: ServerBrand): string {
  const logo = brand.logoUrl ? `<img id="server-logo" src="${escapeHtml(brand.logoUrl)}" alt="">` : "";
  return `<header class="brand">${logo}<span id="server-name">${escapeHtml(brand.name)}</span></header>`;
}

/**
 * Headers every page gets: never framed, never cached, inline styles only. `formTargets`: CSP sources a form on the
 * page may end up at besides this server (browsers check form-action on the redirects that follow a post too).
 */
export function pageHeaders(headers = new Headers(), formTargets: readonly string[] = []): Headers {
  const formAction = ["'self'", ...formTargets].join(" ");
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("content-security-policy", `default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`);
  headers.set("x-frame-options", "DENY");
  headers.set("cache-control", "no-store");
  return headers;
}

/** The CSP source a form's redirect lands on: the redirect URI's origin, or a native app's scheme. */
export function formTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
}
