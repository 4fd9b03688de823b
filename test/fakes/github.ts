import { createHash, randomBytes } from "node:crypto";
import { HttpFake, json, redirect, type FakeRequest } from "./http-fake.js";

/**
 * A local stand-in for the parts of GitHub an OAuth app uses (https://docs.github.com/en/apps/oauth-apps): the web
 * flow's /login/oauth/authorize and /login/oauth/access_token (PKCE S256; the callback URL must be the app's, or a
 * path below it; a refused code answers 200 with `error: "bad_verification_code"`; JSON only when asked with Accept),
 * and the REST API's /user and /user/emails (a revoked or unknown token gets 401 "Bad credentials"). Faults on demand.
 * Point GITHUB_URL and GITHUB_API_URL at `url`.
 */
export interface GitHubAccount {
  id: number;
  login: string;
  name: string | null;
  /** The public profile email (often null). */
  publicEmail: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GitHubFake {
  url: string;
  /** The OAuth app: its client id and secret, and its one callback URL. */
  app: { clientId: string; clientSecret: string; callbackUrl: string };
  /** Who signs in at the next authorization (null: the person cancels, GitHub sends access_denied). */
  signInAs(account: GitHubAccount | null): void;
  /** The person revokes the app's access on GitHub: every token issued for them stops working. */
  revokeAccess(login: string): void;
  http: HttpFake;
  close(): Promise<void>;
}

export async function startGitHubFake(callbackUrl: string): Promise<GitHubFake> {
  const app = { clientId: `Ov23li${randomBytes(7).toString("hex")}`, clientSecret: randomBytes(20).toString("hex"), callbackUrl };
  const codes = new Map<string, { challenge: string; redirectUri: string; account: GitHubAccount }>();
  const tokens = new Map<string, GitHubAccount>();
  let signedIn: GitHubAccount | null = null;

  /** GitHub accepts the app's callback URL or a path below it on the same host. */
  const callbackAllowed = (uri: string) => uri === app.callbackUrl || uri.startsWith(`${app.callbackUrl}/`);
  const account = (req: FakeRequest) => tokens.get(String(req.headers.authorization ?? "").replace(/^(Bearer|token) /, ""));
  const badCredentials = json(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });

  const http = new HttpFake([
    [
      "GET",
      /^\/login\/oauth\/authorize$/,
      (req) => {
        const p = req.url.searchParams;
        const redirectUri = p.get("redirect_uri") ?? app.callbackUrl;
        if (p.get("client_id") !== app.clientId) return { status: 404, body: "<h1>Not Found</h1>" };
        if (!callbackAllowed(redirectUri)) return { status: 400, body: "<h1>The redirect_uri is not associated with this application.</h1>" };
        const back = new URL(redirectUri);
        back.searchParams.set("state", p.get("state") ?? "");
        if (!signedIn) {
          back.searchParams.set("error", "access_denied");
          return redirect(back.toString());
        }
        const code = randomBytes(10).toString("hex");
        codes.set(code, { challenge: p.get("code_challenge") ?? "", redirectUri, account: signedIn });
        back.searchParams.set("code", code);
        return redirect(back.toString());
      },
    ],
    [
      "POST",
      /^\/login\/oauth\/access_token$/,
      (req) => {
        const answer = (body: Record<string, unknown>) =>
          String(req.headers.accept ?? "").includes("application/json") ? json(200, body) : { status: 200, body: new URLSearchParams(body as Record<string, string>).toString() };
        const b = req.body as Record<string, string | undefined>;
        if (b.client_id !== app.clientId || b.client_secret !== app.clientSecret) return answer({ error: "incorrect_client_credentials" });
        const pending = codes.get(b.code ?? "");
        codes.delete(b.code ?? "");
        const pkceOk = pending && (!pending.challenge || createHash("sha256").update(b.code_verifier ?? "").digest("base64url") === pending.challenge);
        if (!pending || !pkceOk || (b.redirect_uri && b.redirect_uri !== pending.redirectUri)) {
          return answer({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
        }
        const token = `gho_${randomBytes(18).toString("base64url")}`;
        tokens.set(token, pending.account);
        return answer({ access_token: token, token_type: "bearer", scope: "read:user,user:email" });
      },
    ],
    [
      "GET",
      /^\/user$/,
      (req) => {
        const who = account(req);
        return who ? json(200, { id: who.id, login: who.login, name: who.name, email: who.publicEmail, type: "User" }) : badCredentials;
      },
    ],
    ["GET", /^\/user\/emails$/, (req) => (account(req) ? json(200, account(req)!.emails) : badCredentials)],
  ]);
  await http.start();
  return {
    url: http.url,
    app,
    signInAs(who) {
      signedIn = who;
    },
    revokeAccess(login) {
      for (const [token, who] of tokens) if (who.login === login) tokens.delete(token);
    },
    http,
    close: () => http.close(),
  };
}
