import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./proxy-fixture.js";

/** A GitHub account the stand-in signs in. */
export interface StubAccount {
  id: number;
  login: string;
  name: string;
  email: string;
}

/**
 * A tiny local stand-in for GitHub's OAuth endpoints (/login/oauth/authorize, /login/oauth/access_token) and the REST
 * API's /user and /user/emails, so the tests run with no network. It signs in whoever `signInAs` names, without a login
 * page; it requires PKCE S256 and this server's OAuth app (client id and secret), like GitHub.
 */
export async function startStubGitHub(firstAccount: StubAccount) {
  const clientId = `Ov23stub${randomBytes(4).toString("hex")}`;
  const clientSecret = randomBytes(20).toString("hex");
  const codes = new Map<string, { challenge: string; redirectUri: string; account: StubAccount }>();
  const tokens = new Map<string, StubAccount>();
  let signedIn = firstAccount;
  let origin = "";

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const p = url.searchParams;
      const redirectUri = p.get("redirect_uri") ?? "";
      if (p.get("client_id") !== clientId || !redirectUri.endsWith("/callback")) return send(400, { error: "redirect_uri_mismatch" });
      if (p.get("code_challenge_method") !== "S256" || !p.get("code_challenge")) return send(400, { error: "invalid_request" });
      const code = randomBytes(10).toString("hex");
      codes.set(code, { challenge: p.get("code_challenge")!, redirectUri, account: signedIn });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const form = new URLSearchParams(await readBody(req));
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) return send(200, { error: "incorrect_client_credentials" });
      const pending = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      if (!pending || pending.redirectUri !== form.get("redirect_uri") || createHash("sha256").update(verifier).digest("base64url") !== pending.challenge) {
        return send(200, { error: "bad_verification_code" });
      }
      const token = `gho_${randomBytes(18).toString("hex")}`;
      tokens.set(token, pending.account);
      return send(200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    const account = tokens.get(req.headers.authorization?.replace(/^Bearer /, "") ?? "");
    if (url.pathname === "/user") return account ? send(200, { id: account.id, login: account.login, name: account.name, email: null }) : send(401, { message: "Bad credentials" });
    if (url.pathname === "/user/emails") return account ? send(200, [{ email: account.email, primary: true, verified: true }]) : send(401, { message: "Bad credentials" });
    send(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    clientId,
    clientSecret,
    /** Who signs in at the next authorization. */
    signInAs(account: StubAccount) {
      signedIn = account;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
