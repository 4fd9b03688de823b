// An access token from a proxy-mode server's own OAuth flow, as a person gives it in a browser: register a client,
// authorize with PKCE, sign in at the development sign-in as the form stands, Allow on the consent page, exchange the
// code. Plain requests with a cookie jar; the bench needs the token before its load, not a browser.
import { createHash, randomBytes } from "node:crypto";

const base64url = (bytes) => Buffer.from(bytes).toString("base64url");
const decode = (text) => text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");

/** The page's first POST form: its action and what a browser would post (hidden, text, ticked boxes). */
function firstForm(html, pageUrl) {
  const [, action, inner] = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html) ?? [];
  if (action === undefined) throw new Error(`no form on ${pageUrl}:\n${html.slice(0, 1000)}`);
  const fields = [];
  for (const [, attrs] of inner.matchAll(/<input([^>]*)>/gi)) {
    const attr = (name) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1];
    const type = attr("type") ?? "text";
    if (attr("name") && !((type === "radio" || type === "checkbox") && !/\bchecked\b/.test(attrs))) fields.push([attr("name"), decode(attr("value") ?? "")]);
  }
  return { action: new URL(decode(action), pageUrl).href, fields };
}

export async function devSignInToken(origin) {
  const redirectUri = "http://127.0.0.1:9/bench-callback";
  const registered = await fetch(`${origin}/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "bench", redirect_uris: [redirectUri], token_endpoint_auth_method: "none", grant_types: ["authorization_code"], response_types: ["code"] }),
  });
  const { client_id: clientId } = await registered.json();
  const verifier = base64url(randomBytes(32));
  const authorize = new URL(`${origin}/authorize`);
  const query = { response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: "mcp", state: base64url(randomBytes(16)), resource: `${origin}/mcp` };
  for (const [key, value] of Object.entries({ ...query, code_challenge: base64url(createHash("sha256").update(verifier).digest()), code_challenge_method: "S256" })) {
    authorize.searchParams.set(key, value);
  }

  const cookies = new Map();
  const request = async (url, init = {}) => {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  let url = authorize.href;
  let response = await request(url);
  for (let step = 0; step < 15; step++) {
    if (response.status === 302 || response.status === 303) {
      url = new URL(response.headers.get("location"), url).href;
      if (url.startsWith(redirectUri)) {
        const code = new URL(url).searchParams.get("code");
        const token = await fetch(`${origin}/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier, resource: `${origin}/mcp` }),
        });
        const { access_token: accessToken } = await token.json();
        if (!accessToken) throw new Error(`no access token from ${origin}/token (${token.status})`);
        return accessToken;
      }
      response = await request(url);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${html.slice(0, 500)}`);
    const form = firstForm(html, url);
    const signIn = new URL(form.action).pathname === "/dev-sign-in/authorize";
    const fields = [...form.fields.filter(([name]) => name !== "decision"), ["decision", signIn ? "sign-in" : "approve"]];
    response = await request(form.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(form.action).origin },
      body: new URLSearchParams(fields).toString(),
    });
    url = form.action;
  }
  throw new Error(`the sign-in at ${origin} took too many steps (last ${url})`);
}
