import type { Context, Hono } from "hono";
import type { AppEnv } from "../app.js";
import { formTarget, pageHeaders } from "../html.js";
import { serverBrand } from "../server-name.js";
import { messagePage } from "../message-page.js";
import { issueCode } from "./codes.js";
import { signInPage } from "./page.js";
import { personFromForm } from "./people.js";

/** Where the development sign-in's page is. */
export const AUTHORIZE_PATH = "/dev-sign-in/authorize";

/** The parameters an authorization request carries through the page (RFC 6749 §4.1.1, RFC 7636, RFC 8707). */
const REQUEST_PARAMS = ["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope", "resource"];

export interface Requester {
  clientId: string;
  clientName: string | null;
  redirectUri: string;
}

export interface AuthorizeRules {
  providerName: string;
  /** Who asks and where the code goes, when both can be trusted; else why not (shown, never redirected). */
  requester(c: Context<AppEnv>, params: URLSearchParams): Requester | { problem: string } | Promise<Requester | { problem: string }>;
  /** A problem with the request that the client should hear about (an OAuth error code), checked after requester. */
  requestError?(c: Context<AppEnv>, params: URLSearchParams): string | null;
}

function redirectTo(redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return new Response(null, { status: 302, headers: { location: url.href, "cache-control": "no-store" } });
}

const startAgain = (c: Context<AppEnv>, problem: string) =>
  messagePage(400, { title: "This sign-in cannot continue", problem, advice: "Start connecting again from your app.", brand: serverBrand(c.var.settings) });

/** GET shows who-are-you; POST signs that person in and sends the code to the requester (this machine only). */
export function devAuthorizeRoutes(app: Hono<AppEnv>, rules: AuthorizeRules): void {
  const active = (c: Context<AppEnv>) => c.var.signIn.kind === "development";

  async function checked(c: Context<AppEnv>, params: URLSearchParams) {
    const requester = await rules.requester(c, params);
    if ("problem" in requester) return { response: startAgain(c, requester.problem) };
    const state = params.get("state") ?? undefined;
    const fail = (error: string, description: string) =>
      redirectTo(requester.redirectUri, { error, error_description: description, state, iss: c.var.origin });
    if (params.get("response_type") !== "code") return { response: fail("unsupported_response_type", "Only response_type=code is supported.") };
    if (!params.get("code_challenge") || params.get("code_challenge_method") !== "S256") {
      return { response: fail("invalid_request", "PKCE with code_challenge_method=S256 is required.") };
    }
    const error = rules.requestError?.(c, params);
    if (error) return { response: fail(error, "The request names a resource this server is not.") };
    return { requester, state, fail };
  }

  const pageFor = (c: Context<AppEnv>, params: URLSearchParams, requester: Requester, problem?: string) => {
    const request = Object.fromEntries(REQUEST_PARAMS.flatMap((name) => (params.has(name) ? [[name, params.get(name)!]] : [])));
    const html = signInPage({ action: AUTHORIZE_PATH, request, brand: serverBrand(c.var.settings), clientName: requester.clientName, providerName: rules.providerName, problem });
    // The form's answer redirects to the requester, and browsers hold that redirect to the page's form-action too.
    return new Response(html, { status: problem ? 400 : 200, headers: pageHeaders(undefined, [formTarget(requester.redirectUri)]) });
  };

  app.get(AUTHORIZE_PATH, async (c) => {
    if (!active(c)) return c.notFound();
    const params = new URL(c.req.url).searchParams;
    const result = await checked(c, params);
    if ("response" in result) return result.response;
    return pageFor(c, params, result.requester);
  });

  app.post(AUTHORIZE_PATH, async (c) => {
    if (!active(c)) return c.notFound();
    // Another site's page may not post here. (The page sends no referrer, so its own posts come with Origin "null".)
    const origin = c.req.header("origin");
    if (origin !== undefined && origin !== "null" && origin !== c.var.origin) return startAgain(c, "This form was sent from another site.");
    const form = await c.req.formData();
    const params = new URLSearchParams();
    for (const name of REQUEST_PARAMS) if (typeof form.get(name) === "string") params.set(name, String(form.get(name)));
    const result = await checked(c, params);
    if ("response" in result) return result.response;
    if (form.get("decision") === "cancel") return result.fail("access_denied", "The person cancelled the sign-in.");
    const person = personFromForm(form);
    if ("problem" in person) return pageFor(c, params, result.requester, person.problem);
    const code = issueCode({
      person,
      clientId: result.requester.clientId,
      redirectUri: result.requester.redirectUri,
      codeChallenge: params.get("code_challenge")!,
      scope: params.get("scope") ?? "",
    });
    return redirectTo(result.requester.redirectUri, { code, state: result.state, iss: c.var.origin });
  });
}
