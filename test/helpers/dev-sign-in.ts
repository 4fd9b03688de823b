import { browse, type CookieJar } from "./proxy-oauth.js";

/** Who to be at the development sign-in's page; fields left out keep what the page's form has. */
export interface TestPersonChoice {
  name?: string;
  email?: string;
  role?: "admin" | "member";
}

/** A page's first POST form: where it goes and its fields as the page fills them (hidden, text, checked radios). */
export function formOf(html: string, pageUrl: string): { action: string; fields: Record<string, string>; pairs: [string, string][] } | null {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const unescape = (value: string) => value.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
  const fields: Record<string, string> = {};
  // What a browser posts: every named field, each ticked box of a group once (`fields` keeps one value per name).
  const pairs: [string, string][] = [];
  for (const input of form[2]!.matchAll(/<input([^>]*)>/gi)) {
    const attrs = input[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? "";
    const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? "text";
    if (!name || ((type === "radio" || type === "checkbox") && !/\bchecked\b/.test(attrs))) continue;
    fields[name] = unescape(value);
    pairs.push([name, unescape(value)]);
  }
  return { action: new URL(unescape(form[1]!), pageUrl).href, fields, pairs };
}

/**
 * The browser's side of an authorization on a server using the development sign-in: follows redirects, fills in the
 * sign-in page (as `person`, or as the form stands), approves any consent page, until the redirect to `redirectUri`.
 */
export async function signInAsTestPerson(
  jar: CookieJar,
  authorizationUrl: string,
  redirectUri: string,
  person: TestPersonChoice = {},
  onPage: (kind: "sign-in" | "consent", html: string) => void = () => {},
): Promise<URL> {
  let url = authorizationUrl;
  let response = await browse(jar, url);
  const seen: string[] = [];
  for (let hops = 0; hops < 15; hops++) {
    if (response.status === 302 || response.status === 303) {
      url = new URL(response.headers.get("location")!, url).href;
      if (url.startsWith(redirectUri)) return new URL(url);
      response = await browse(jar, url);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}:\n${html.slice(0, 2000)}`);
    const form = formOf(html, url);
    if (!form) throw new Error(`no form on ${url}:\n${html.slice(0, 2000)}`);
    const signIn = new URL(form.action).pathname === "/dev-sign-in/authorize";
    seen.push(signIn ? "sign-in" : "consent");
    onPage(signIn ? "sign-in" : "consent", html);
    // The consent page's permission boxes are left as they stand (ticked: what the person holds and the agent asked for).
    const fields = signIn
      ? Object.entries({ ...form.fields, ...person, decision: "sign-in" })
      : [...form.pairs.filter(([name]) => name !== "decision"), ["decision", "approve"]];
    response = await browse(jar, form.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(form.action).origin },
      body: new URLSearchParams(fields as [string, string][]).toString(),
    });
    url = form.action;
  }
  throw new Error(`too many steps (${seen.join(", ")}), last ${url}`);
}
