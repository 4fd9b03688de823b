import { createHash, randomBytes, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { HttpFake, json, redirect, type FakeRequest, type FakeResponse } from "./http-fake.js";

/**
 * A local stand-in for WorkOS: its API (api.workos.com: user management, JWKS) and an AuthKit domain
 * (<sub>.authkit.app: RFC 8414 metadata, /oauth2/authorize|token|userinfo|register|jwks) on one loopback port.
 * It signs real RS256 JWTs with a key it generates, and signs in whoever `signInAs` names, with no login page.
 */

export interface FakeUser {
  id: string;
  email: string;
  /** WorkOS's `email_verified` (default true): false for someone who never confirmed the address. */
  emailVerified?: boolean;
  firstName: string;
  lastName: string;
  organizationId?: string | null;
  role?: string | null;
  permissions?: string[];
}

/** An admin of an organization, holding the permissions the shop and audit packs check: the WorkOS e2e tests' person. */
export const ADA: FakeUser = {
  id: "user_01ADA",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  organizationId: "org_01ANALYTICAL",
  role: "admin",
  permissions: ["shop:admin", "audit:read"],
};

interface Client {
  clientId: string;
  clientSecret: string | null;
  clientName: string;
  redirectUris: string[];
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  userId: string;
  scope: string;
  resource: string | null;
  expiresAt: number;
}

export interface MintOptions {
  /** Claims to set or override (`undefined` removes a claim, e.g. `{ exp: undefined }`). */
  claims?: Record<string, unknown>;
  /** "untrusted" signs with a key the JWKS does not publish. */
  key?: "trusted" | "untrusted";
  /** "none" produces an unsigned token. */
  alg?: "RS256" | "none";
  /** The `kid` header to claim (default: the key's own). */
  kid?: string;
}

export interface WorkosFake {
  /** http://127.0.0.1:<port> — both the AuthKit domain (AUTHKIT_DOMAIN) and the API. */
  url: string;
  /** AUTHKIT_DOMAIN value and the `iss` of AuthKit tokens. */
  issuer: string;
  /** WORKOS_API_HOSTNAME value (host:port). */
  apiHostname: string;
  /** The WORKOS_API_KEY the API accepts. */
  apiKey: string;
  /** The environment's client id (WORKOS_CLIENT_ID). */
  clientId: string;
  users: Map<string, FakeUser>;
  /** Registered OAuth clients (DCR ones and applications), by client id. */
  clients: Map<string, Client>;
  /** Who signs in at the next authorize; null makes sign-in fail with access_denied. */
  signInAs(user: FakeUser | null): void;
  /** An OAuth application as `workos.connect.createOAuthApplication` would create it (proxy mode's upstream). */
  createApplication(opts: { name: string; redirectUris: string[] }): { clientId: string; clientSecret: string };
  /** Turns Dynamic Client Registration off (as before the dashboard toggle), or on. */
  setRegistrationEnabled(enabled: boolean): void;
  /** A signed access token for `user`, as AuthKit would issue it; options forge the bad ones. */
  mintAccessToken(user: FakeUser, audience: string, options?: MintOptions): Promise<string>;
  /** Signs from now on with a new key, published beside the old one (as a provider rotating keys does). */
  rotateSigningKey(): Promise<void>;
  /** Provisioning API state (Connect applications, redirect URIs, permissions, roles, AuthKit OAuth resources). */
  provisioning: WorkosProvisioningState;
  /** What the provisioning API holds, to compare before and after (names only, sorted). */
  snapshot(): { applications: string[]; clientSecrets: string[]; redirectUris: string[]; permissions: string[]; roles: string[]; oauthResources: string[] };
  http: HttpFake;
  close(): Promise<void>;
}

export interface WorkosApplication {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  isFirstParty: boolean;
  usesPkce: boolean;
  scopes: string[];
  redirectUris: { uri: string; default: boolean }[];
  /** Client secret id → secret. */
  secrets: Map<string, string>;
  createdAt: string;
  /** "m2m": a machine-to-machine application (client credentials), third-party, of one organization. */
  applicationType?: "oauth" | "m2m";
  organizationId?: string | null;
}

export interface WorkosProvisioningState {
  applications: Map<string, WorkosApplication>;
  /** The environment's AuthKit redirect URIs (/user_management/redirect_uris), by id. */
  redirectUris: Map<string, { id: string; uri: string; default: boolean }>;
  permissions: Map<string, { id: string; slug: string; name: string; description: string | null }>;
  roles: Map<string, { id: string; slug: string; name: string; description: string | null; permissions: string[] }>;
  /** AuthKit OAuth resources (the Resource Indicator), by id. */
  oauthResources: Map<string, { id: string; uri: string }>;
}

export const ACCESS_TOKEN_TTL_S = 300;
/** A client-credentials token lives an hour. */
export const CLIENT_CREDENTIALS_TTL_S = 3600;

export async function startWorkosFake(initialUsers: FakeUser[] = []): Promise<WorkosFake> {
  let trusted = await generateKeyPair("RS256", { extractable: true });
  const untrusted = await generateKeyPair("RS256", { extractable: true });
  let kid = randomUUID();
  const publishedKeys: JWK[] = [{ ...(await exportJWK(trusted.publicKey)), kid, alg: "RS256", use: "sig" }];
  const apiKey = `sk_test_${randomBytes(12).toString("hex")}`;
  const environmentClientId = `client_${randomBytes(8).toString("hex")}`;
  const users = new Map(initialUsers.map((u) => [u.id, u]));
  const clients = new Map<string, Client>();
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, { clientId: string; userId: string; scope: string; resource: string | null }>();
  let signedIn: FakeUser | null = initialUsers[0] ?? null;
  let registrationEnabled = true;
  let issuer = "";

  const sign = async (claims: Record<string, unknown>, options: MintOptions = {}) => {
    const payload = Object.fromEntries(Object.entries({ ...claims, ...options.claims }).filter(([, v]) => v !== undefined));
    if (options.alg === "none") {
      const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
      return `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
    }
    const key = options.key === "untrusted" ? untrusted.privateKey : trusted.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: options.kid ?? kid, typ: "JWT" }).sign(key);
  };

  const accessClaims = (user: FakeUser, audience: string | null, clientId: string, scope: string) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      sub: user.id,
      ...(audience ? { aud: audience } : {}),
      iat: now,
      exp: now + ACCESS_TOKEN_TTL_S,
      jti: randomUUID(),
      sid: `session_${randomBytes(6).toString("hex")}`,
      client_id: clientId,
      scope,
      org_id: user.organizationId ?? undefined,
      role: user.role ?? undefined,
      permissions: user.permissions ?? [],
    };
  };

  const userJson = (u: FakeUser) => ({
    object: "user",
    id: u.id,
    email: u.email,
    email_verified: u.emailVerified ?? true,
    first_name: u.firstName,
    last_name: u.lastName,
    profile_picture_url: null,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
  });

  const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description });

  /** Client authentication at the token endpoint: none (public), client_secret_post or client_secret_basic. */
  const authenticateClient = (req: FakeRequest): Client | FakeResponse => {
    let clientId = req.body.client_id as string | undefined;
    let secret = req.body.client_secret as string | undefined;
    const basic = req.headers.authorization?.match(/^Basic (.+)$/i);
    if (basic) [clientId, secret] = Buffer.from(basic[1]!, "base64").toString().split(":").map(decodeURIComponent);
    const client = clientId ? clients.get(clientId) : undefined;
    if (!client) return oauthError(401, "invalid_client", "Unknown client.");
    if (client.clientSecret !== null && secret !== client.clientSecret) return oauthError(401, "invalid_client", "Bad client secret.");
    return client;
  };

  const issueTokens = async (client: Client, user: FakeUser, scope: string, resource: string | null) => {
    const refreshToken = randomBytes(24).toString("base64url");
    refreshTokens.set(refreshToken, { clientId: client.clientId, userId: user.id, scope, resource });
    const now = Math.floor(Date.now() / 1000);
    const idToken = await sign({
      iss: issuer,
      sub: user.id,
      aud: client.clientId,
      iat: now,
      exp: now + ACCESS_TOKEN_TTL_S,
      email: user.email,
      email_verified: user.emailVerified ?? true,
      name: `${user.firstName} ${user.lastName}`,
    });
    return json(200, {
      access_token: await sign(accessClaims(user, resource, client.clientId, scope)),
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refreshToken,
      scope,
      ...(scope.split(" ").includes("openid") ? { id_token: idToken } : {}),
    });
  };

  /**
   * The client-credentials grant, only for an m2m application (`agents add`) with a client secret: a token whose subject
   * is the client itself, of the app's organization, with the requested scopes (all of the app's when none are asked
   * for), for the RFC 8707 `resource` when one is given. No role, no permissions, no refresh token.
   */
  const clientCredentials = async (client: Client, req: FakeRequest) => {
    const app = [...provisioning.applications.values()].find((a) => a.clientId === client.clientId);
    if (!app || app.applicationType !== "m2m") return oauthError(400, "unauthorized_client", "Only machine-to-machine applications may use client_credentials.");
    if (client.clientSecret === null) return oauthError(401, "invalid_client", "The application has no client secret.");
    const requested = String(req.body.scope ?? "").split(" ").filter(Boolean);
    const outside = requested.find((s) => !app.scopes.includes(s));
    if (outside) return oauthError(400, "invalid_scope", `The application does not have the scope ${outside}.`);
    const scope = (requested.length ? requested : app.scopes).join(" ");
    const resource = (req.body.resource as string | undefined) ?? null;
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({
      iss: issuer,
      sub: client.clientId,
      ...(resource ? { aud: resource } : {}),
      iat: now,
      exp: now + CLIENT_CREDENTIALS_TTL_S,
      jti: randomUUID(),
      client_id: client.clientId,
      org_id: app.organizationId ?? undefined,
      scope,
    });
    return json(200, { access_token: token, token_type: "Bearer", expires_in: CLIENT_CREDENTIALS_TTL_S, scope });
  };

  /** Shared by AuthKit's /oauth2/authorize (PKCE required) and the API's /user_management/authorize. */
  const authorize = (req: FakeRequest, requirePkce: boolean): FakeResponse => {
    const p = req.url.searchParams;
    const client = clients.get(p.get("client_id") ?? "");
    const redirectUri = p.get("redirect_uri") ?? "";
    // Never redirect to an unverified URI: an unknown client or redirect URI gets an error page.
    if (!client) return { status: 400, body: "<h1>Unknown client_id</h1>" };
    // The environment's own client accepts the environment's redirect URIs (dashboard → Redirects, /user_management/redirect_uris).
    const registered = client.clientId === environmentClientId ? [...provisioning.redirectUris.values()].map((r) => r.uri) : client.redirectUris;
    if (!registered.includes(redirectUri)) return { status: 400, body: "<h1>redirect_uri is not registered for this client</h1>" };
    const back = new URL(redirectUri);
    const state = p.get("state");
    if (state) back.searchParams.set("state", state);
    back.searchParams.set("iss", issuer);
    const fail = (error: string) => {
      back.searchParams.set("error", error);
      return redirect(back.toString());
    };
    if (requirePkce && p.get("response_type") !== "code") return fail("unsupported_response_type");
    if (requirePkce && (!p.get("code_challenge") || p.get("code_challenge_method") !== "S256")) return fail("invalid_request");
    if (!signedIn) return fail("access_denied");
    const code = randomBytes(16).toString("base64url");
    codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      codeChallenge: p.get("code_challenge"),
      userId: signedIn.id,
      scope: p.get("scope") ?? "openid profile email",
      resource: p.get("resource"),
      expiresAt: Date.now() + 60_000,
    });
    back.searchParams.set("code", code);
    return redirect(back.toString());
  };

  const takeCode = (code: string, clientId: string) => {
    const pending = codes.get(code);
    codes.delete(code); // single use
    if (!pending || pending.clientId !== clientId || pending.expiresAt < Date.now()) return null;
    return pending;
  };

  const requireApiKey = (req: FakeRequest) => req.headers.authorization === `Bearer ${apiKey}`;

  const provisioning: WorkosProvisioningState = {
    applications: new Map(),
    redirectUris: new Map(),
    permissions: new Map(),
    roles: new Map(),
    oauthResources: new Map(),
  };

  const http = new HttpFake([
    // AuthKit (authorization server)
    [
      "GET",
      /^\/\.well-known\/(oauth-authorization-server|openid-configuration)$/,
      () =>
        json(200, {
          issuer,
          authorization_endpoint: `${issuer}/oauth2/authorize`,
          token_endpoint: `${issuer}/oauth2/token`,
          userinfo_endpoint: `${issuer}/oauth2/userinfo`,
          jwks_uri: `${issuer}/oauth2/jwks`,
          ...(registrationEnabled ? { registration_endpoint: `${issuer}/oauth2/register` } : {}),
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
          code_challenge_methods_supported: ["S256"],
          token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
          scopes_supported: ["openid", "profile", "email", "offline_access"],
          authorization_response_iss_parameter_supported: true,
        }),
    ],
    ["GET", /^\/oauth2\/jwks$/, () => json(200, { keys: publishedKeys })],
    [
      "POST",
      /^\/oauth2\/register$/,
      (req) => {
        if (!registrationEnabled) return json(404, { message: "Dynamic Client Registration is not enabled." });
        const redirectUris = req.body.redirect_uris;
        if (!Array.isArray(redirectUris) || redirectUris.length === 0) return oauthError(400, "invalid_redirect_uri", "redirect_uris is required.");
        const method = (req.body.token_endpoint_auth_method as string | undefined) ?? "client_secret_basic";
        const client: Client = {
          clientId: `client_${randomBytes(8).toString("hex")}`,
          clientSecret: method === "none" ? null : randomBytes(16).toString("hex"),
          clientName: (req.body.client_name as string | undefined) ?? "Unnamed client",
          redirectUris: redirectUris as string[],
        };
        clients.set(client.clientId, client);
        return json(201, {
          client_id: client.clientId,
          ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
          client_id_issued_at: Math.floor(Date.now() / 1000),
          client_name: client.clientName,
          redirect_uris: client.redirectUris,
          token_endpoint_auth_method: method,
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
        });
      },
    ],
    ["GET", /^\/oauth2\/authorize$/, (req) => authorize(req, true)],
    [
      "POST",
      /^\/oauth2\/token$/,
      async (req) => {
        const client = authenticateClient(req);
        if (!("clientId" in client)) return client;
        if (req.body.grant_type === "authorization_code") {
          const pending = takeCode(String(req.body.code ?? ""), client.clientId);
          if (!pending || pending.redirectUri !== req.body.redirect_uri) return oauthError(400, "invalid_grant", "Bad or used code.");
          const verifier = String(req.body.code_verifier ?? "");
          if (pending.codeChallenge && createHash("sha256").update(verifier).digest("base64url") !== pending.codeChallenge) {
            return oauthError(400, "invalid_grant", "PKCE verification failed.");
          }
          return issueTokens(client, users.get(pending.userId)!, pending.scope, (req.body.resource as string | undefined) ?? pending.resource);
        }
        if (req.body.grant_type === "refresh_token") {
          const token = String(req.body.refresh_token ?? "");
          const grant = refreshTokens.get(token);
          refreshTokens.delete(token); // rotation: each refresh token works once
          if (!grant || grant.clientId !== client.clientId) return oauthError(400, "invalid_grant", "Bad refresh token.");
          // A person removed from the environment (test: `users.delete`) cannot refresh their session any more.
          if (!users.has(grant.userId)) return oauthError(400, "invalid_grant", "The user no longer exists.");
          return issueTokens(client, users.get(grant.userId)!, grant.scope, grant.resource);
        }
        if (req.body.grant_type === "client_credentials") return clientCredentials(client, req);
        return oauthError(400, "unsupported_grant_type", "Only authorization_code, refresh_token and client_credentials.");
      },
    ],
    [
      "GET",
      /^\/oauth2\/userinfo$/,
      (req) => {
        // Userinfo only sees tokens this fake issued, so reading `sub` without verifying is enough for a stand-in.
        const sub = decodeSub(req.headers.authorization);
        const found = sub ? users.get(sub) : undefined;
        if (!found) return json(401, { error: "invalid_token" });
        return json(200, { sub: found.id, email: found.email, email_verified: found.emailVerified ?? true, given_name: found.firstName, family_name: found.lastName, name: `${found.firstName} ${found.lastName}` });
      },
    ],

    // WorkOS API
    [
      "GET",
      /^\/user_management\/users\/[^/]+$/,
      (req) => {
        if (!requireApiKey(req)) return json(401, { message: "Unauthorized" });
        const user = users.get(decodeURIComponent(req.url.pathname.split("/").pop()!));
        return user ? json(200, userJson(user)) : json(404, { code: "entity_not_found", message: "User not found." });
      },
    ],
    ["GET", /^\/sso\/jwks\/[^/]+$/, () => json(200, { keys: publishedKeys })],
    ["GET", /^\/user_management\/authorize$/, (req) => authorize(req, false)],
    [
      "POST",
      /^\/user_management\/authenticate$/,
      async (req) => {
        if (req.body.client_secret !== apiKey) return json(401, { message: "Invalid client secret." });
        const pending = takeCode(String(req.body.code ?? ""), String(req.body.client_id ?? ""));
        if (!pending) return json(400, { error: "invalid_grant", error_description: "Bad or used code." });
        const user = users.get(pending.userId)!;
        return json(200, {
          user: userJson(user),
          organization_id: user.organizationId ?? null,
          access_token: await sign(accessClaims(user, null, pending.clientId, pending.scope)),
          refresh_token: randomBytes(24).toString("base64url"),
          authentication_method: "Password",
        });
      },
    ],
    ...provisioningRoutes({ requireApiKey, clients, state: provisioning }),
  ]);
  await http.start();
  issuer = http.url;
  clients.set(environmentClientId, { clientId: environmentClientId, clientSecret: apiKey, clientName: "AuthKit", redirectUris: [] });

  return {
    url: http.url,
    issuer,
    apiHostname: http.url.replace(/^http:\/\//, ""),
    apiKey,
    clientId: environmentClientId,
    users,
    clients,
    http,
    signInAs(user) {
      if (user) users.set(user.id, user);
      signedIn = user;
    },
    createApplication({ name, redirectUris }) {
      const client = { clientId: `client_${randomBytes(8).toString("hex")}`, clientSecret: randomBytes(16).toString("hex"), clientName: name, redirectUris };
      clients.set(client.clientId, client);
      return { clientId: client.clientId, clientSecret: client.clientSecret };
    },
    setRegistrationEnabled(enabled) {
      registrationEnabled = enabled;
    },
    async rotateSigningKey() {
      trusted = await generateKeyPair("RS256", { extractable: true });
      kid = randomUUID();
      publishedKeys.push({ ...(await exportJWK(trusted.publicKey)), kid, alg: "RS256", use: "sig" });
    },
    mintAccessToken(user, audience, options) {
      users.set(user.id, user);
      return sign(accessClaims(user, audience, "client_minted", "openid profile email"), options);
    },
    provisioning,
    snapshot: () => ({
      applications: [...provisioning.applications.values()].map((a) => a.name).sort(),
      clientSecrets: [...provisioning.applications.values()].flatMap((a) => [...a.secrets.keys()]).sort(),
      redirectUris: [...provisioning.redirectUris.values()].map((r) => r.uri).sort(),
      permissions: [...provisioning.permissions.keys()].sort(),
      roles: [...provisioning.roles.keys()].sort(),
      oauthResources: [...provisioning.oauthResources.values()].map((r) => r.uri).sort(),
    }),
    close: () => http.close(),
  };
}

function decodeSub(authorization: string | undefined): string | null {
  const token = authorization?.match(/^Bearer (.+)$/)?.[1];
  try {
    return JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString()).sub ?? null;
  } catch {
    return null;
  }
}

/**
 * The provisioning side of the WorkOS API, as `@workos-inc/node` 12 calls it (`connect.*`, `authorization.*`) plus the REST
 * endpoints it does not wrap (`/user_management/redirect_uris`, `/user_management/authkit_oauth_resources`). Lists answer
 * `{ object: "list", data, list_metadata: { before, after } }` with `limit`/`after` cursors; a duplicate slug is 409.
 * Applications made here are real OAuth clients of the AuthKit side (their redirect URIs and secrets work at /oauth2/*).
 */
function provisioningRoutes({
  requireApiKey,
  clients,
  state,
}: {
  requireApiKey: (req: FakeRequest) => boolean;
  clients: Map<string, Client>;
  state: WorkosProvisioningState;
}): [string, RegExp, (req: FakeRequest) => FakeResponse | Promise<FakeResponse>][] {
  const now = () => new Date().toISOString();
  const id = (prefix: string) => `${prefix}_${randomBytes(10).toString("hex").toUpperCase()}`;
  const notFound = (what: string) => json(404, { code: "entity_not_found", message: `${what} not found.` });
  const guarded =
    (route: (req: FakeRequest, segments: string[]) => FakeResponse | Promise<FakeResponse>) =>
    (req: FakeRequest) =>
      requireApiKey(req) ? route(req, req.url.pathname.split("/").filter(Boolean).map(decodeURIComponent)) : json(401, { message: "Unauthorized" });

  /** Cursor pagination as WorkOS lists do it: `limit` (default 10, max 100) and `after` (an id). */
  const list = <T extends { id: string }>(req: FakeRequest, items: T[], toJson: (item: T) => unknown) => {
    const limit = Math.min(100, Math.max(1, Number(req.url.searchParams.get("limit") ?? 10) || 10));
    const after = req.url.searchParams.get("after");
    const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
    const page = items.slice(start, start + limit);
    const more = start + limit < items.length;
    return json(200, { object: "list", data: page.map(toJson), list_metadata: { before: null, after: more ? page.at(-1)!.id : null } });
  };

  const applicationJson = (a: WorkosApplication) => {
    const common = {
      object: "connect_application",
      id: a.id,
      client_id: a.clientId,
      name: a.name,
      description: a.description,
      scopes: a.scopes,
      created_at: a.createdAt,
      updated_at: a.createdAt,
    };
    if (a.applicationType === "m2m") return { ...common, application_type: "m2m", organization_id: a.organizationId };
    return {
      ...common,
      application_type: "oauth",
      redirect_uris: a.redirectUris,
      uses_pkce: a.usesPkce,
      is_first_party: a.isFirstParty,
      was_dynamically_registered: false,
      organization_id: null,
    };
  };
  const findApplication = (key: string) => state.applications.get(key) ?? [...state.applications.values()].find((a) => a.clientId === key);
  const syncClient = (a: WorkosApplication) => {
    const secret = [...a.secrets.values()].at(-1) ?? null;
    clients.set(a.clientId, { clientId: a.clientId, clientSecret: secret, clientName: a.name, redirectUris: a.redirectUris.map((r) => r.uri) });
  };
  const redirectInput = (value: unknown) =>
    Array.isArray(value) ? value.map((r: { uri?: string; default?: boolean | null }) => ({ uri: String(r.uri), default: Boolean(r.default) })) : [];
  const secretJson = (secretId: string, secret: string, withSecret: boolean) => ({
    object: "connect_application_secret",
    id: secretId,
    secret_hint: secret.slice(-4),
    last_used_at: null,
    created_at: now(),
    updated_at: now(),
    ...(withSecret ? { secret } : {}),
  });
  const permissionJson = (p: { id: string; slug: string; name: string; description: string | null }) => ({
    object: "permission",
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    resource_type_slug: null,
    system: false,
    created_at: now(),
    updated_at: now(),
  });
  const roleJson = (r: { id: string; slug: string; name: string; description: string | null; permissions: string[] }) => ({
    object: "role",
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    resource_type_slug: null,
    type: "EnvironmentRole",
    created_at: now(),
    updated_at: now(),
  });

  return [
    // Connect applications (workos.connect.*)
    ["GET", /^\/connect\/applications$/, guarded((req) => list(req, [...state.applications.values()], applicationJson))],
    [
      "POST",
      /^\/connect\/applications$/,
      guarded((req) => {
        const b = req.body as Record<string, unknown>;
        if (b.application_type !== "oauth" && b.application_type !== "m2m") return json(422, { code: "invalid_request", message: "application_type must be oauth or m2m." });
        if (typeof b.name !== "string" || !b.name) return json(422, { code: "invalid_request", message: "name is required." });
        if (b.application_type === "m2m") {
          // Machine-to-machine applications are third-party only: they belong to one organization.
          if (typeof b.organization_id !== "string" || !b.organization_id) return json(422, { code: "invalid_request", message: "organization_id is required for m2m applications." });
          const agent: WorkosApplication = {
            id: id("conn_app"),
            clientId: `client_${randomBytes(8).toString("hex")}`,
            name: b.name,
            description: (b.description as string | undefined) ?? null,
            isFirstParty: false,
            usesPkce: false,
            scopes: (b.scopes as string[] | undefined) ?? [],
            redirectUris: [],
            secrets: new Map(),
            createdAt: now(),
            applicationType: "m2m",
            organizationId: b.organization_id,
          };
          state.applications.set(agent.id, agent);
          syncClient(agent);
          return json(201, applicationJson(agent));
        }
        if (b.is_first_party !== true && !b.organization_id) return json(422, { code: "invalid_request", message: "Third-party applications need organization_id." });
        const application: WorkosApplication = {
          id: id("conn_app"),
          clientId: `client_${randomBytes(8).toString("hex")}`,
          name: b.name,
          description: (b.description as string | undefined) ?? null,
          isFirstParty: b.is_first_party === true,
          usesPkce: Boolean(b.uses_pkce),
          scopes: (b.scopes as string[] | undefined) ?? [],
          redirectUris: redirectInput(b.redirect_uris),
          secrets: new Map(),
          createdAt: now(),
        };
        state.applications.set(application.id, application);
        syncClient(application);
        return json(201, applicationJson(application));
      }),
    ],
    [
      "GET",
      /^\/connect\/applications\/[^/]+$/,
      guarded((_req, seg) => {
        const application = findApplication(seg[2]!);
        return application ? json(200, applicationJson(application)) : notFound("Application");
      }),
    ],
    [
      "PUT",
      /^\/connect\/applications\/[^/]+$/,
      guarded((req, seg) => {
        const application = findApplication(seg[2]!);
        if (!application) return notFound("Application");
        const b = req.body as Record<string, unknown>;
        if (typeof b.name === "string") application.name = b.name;
        if (b.description !== undefined && b.description !== null) application.description = String(b.description);
        if (Array.isArray(b.scopes)) application.scopes = b.scopes as string[];
        if (Array.isArray(b.redirect_uris)) application.redirectUris = redirectInput(b.redirect_uris);
        syncClient(application);
        return json(200, applicationJson(application));
      }),
    ],
    [
      "DELETE",
      /^\/connect\/applications\/[^/]+$/,
      guarded((_req, seg) => {
        const application = findApplication(seg[2]!);
        if (!application) return notFound("Application");
        state.applications.delete(application.id);
        clients.delete(application.clientId);
        return { status: 204 };
      }),
    ],
    [
      "GET",
      /^\/connect\/applications\/[^/]+\/client_secrets$/,
      guarded((_req, seg) => {
        const application = findApplication(seg[2]!);
        if (!application) return notFound("Application");
        return json(200, [...application.secrets].map(([secretId, secret]) => secretJson(secretId, secret, false)));
      }),
    ],
    [
      "POST",
      /^\/connect\/applications\/[^/]+\/client_secrets$/,
      guarded((_req, seg) => {
        const application = findApplication(seg[2]!);
        if (!application) return notFound("Application");
        const secretId = id("secret");
        const secret = randomBytes(24).toString("base64url");
        application.secrets.set(secretId, secret);
        syncClient(application);
        return json(201, secretJson(secretId, secret, true));
      }),
    ],
    [
      "DELETE",
      /^\/connect\/client_secrets\/[^/]+$/,
      guarded((_req, seg) => {
        const application = [...state.applications.values()].find((a) => a.secrets.has(seg[2]!));
        if (!application) return notFound("Client secret");
        application.secrets.delete(seg[2]!);
        syncClient(application);
        return { status: 204 };
      }),
    ],

    // The environment's AuthKit redirect URIs (REST only)
    [
      "GET",
      /^\/user_management\/redirect_uris$/,
      guarded((req) => list(req, [...state.redirectUris.values()], (r) => ({ object: "redirect_uri", ...r, created_at: now(), updated_at: now() }))),
    ],
    [
      "POST",
      /^\/user_management\/redirect_uris$/,
      guarded((req) => {
        const uri = req.body.uri;
        if (typeof uri !== "string" || !/^https?:\/\//.test(uri)) return json(422, { code: "invalid_request", message: "uri must be an http(s) URL." });
        if ([...state.redirectUris.values()].some((r) => r.uri === uri)) return json(409, { code: "redirect_uri_already_exists", message: "This redirect URI already exists." });
        const entry = { id: id("redirect_uri"), uri, default: state.redirectUris.size === 0 };
        state.redirectUris.set(entry.id, entry);
        return json(201, { object: "redirect_uri", ...entry, created_at: now(), updated_at: now() });
      }),
    ],
    [
      "DELETE",
      /^\/user_management\/redirect_uris\/[^/]+$/,
      guarded((_req, seg) => (state.redirectUris.delete(seg[2]!) ? { status: 204 } : notFound("Redirect URI"))),
    ],

    // Permissions and environment roles (workos.authorization.*)
    ["GET", /^\/authorization\/permissions$/, guarded((req) => list(req, [...state.permissions.values()], permissionJson))],
    [
      "POST",
      /^\/authorization\/permissions$/,
      guarded((req) => {
        const slug = req.body.slug;
        if (typeof slug !== "string" || !/^[a-z0-9_:.*-]+$/.test(slug)) return json(422, { code: "invalid_request", message: "Invalid slug." });
        if (state.permissions.has(slug)) return json(409, { code: "permission_slug_conflict", message: "A permission with this slug already exists." });
        const permission = { id: id("perm"), slug, name: String(req.body.name ?? slug), description: (req.body.description as string | undefined) ?? null };
        state.permissions.set(slug, permission);
        return json(201, permissionJson(permission));
      }),
    ],
    [
      "GET",
      /^\/authorization\/permissions\/[^/]+$/,
      guarded((_req, seg) => {
        const permission = state.permissions.get(seg[2]!);
        return permission ? json(200, permissionJson(permission)) : notFound("Permission");
      }),
    ],
    [
      "DELETE",
      /^\/authorization\/permissions\/[^/]+$/,
      guarded((_req, seg) => {
        if (!state.permissions.delete(seg[2]!)) return notFound("Permission");
        for (const role of state.roles.values()) role.permissions = role.permissions.filter((p) => p !== seg[2]);
        return { status: 204 };
      }),
    ],
    ["GET", /^\/authorization\/roles$/, guarded(() => json(200, { object: "list", data: [...state.roles.values()].map(roleJson) }))],
    [
      "POST",
      /^\/authorization\/roles$/,
      guarded((req) => {
        const slug = req.body.slug;
        if (typeof slug !== "string" || !/^[a-z0-9_-]+$/.test(slug)) return json(422, { code: "invalid_request", message: "Invalid slug." });
        if (state.roles.has(slug)) return json(409, { code: "role_slug_conflict", message: "A role with this slug already exists." });
        const role = { id: id("role"), slug, name: String(req.body.name ?? slug), description: (req.body.description as string | undefined) ?? null, permissions: [] };
        state.roles.set(slug, role);
        return json(201, roleJson(role));
      }),
    ],
    [
      "GET",
      /^\/authorization\/roles\/[^/]+$/,
      guarded((_req, seg) => {
        const role = state.roles.get(seg[2]!);
        return role ? json(200, roleJson(role)) : notFound("Role");
      }),
    ],
    [
      "PUT",
      /^\/authorization\/roles\/[^/]+\/permissions$/,
      guarded((req, seg) => {
        const role = state.roles.get(seg[2]!);
        if (!role) return notFound("Role");
        const permissions = (req.body.permissions as string[] | undefined) ?? [];
        const unknown = permissions.find((p) => !state.permissions.has(p));
        if (unknown) return json(422, { code: "invalid_request", message: `Unknown permission ${unknown}.` });
        role.permissions = [...permissions];
        return json(200, roleJson(role));
      }),
    ],
    ["DELETE", /^\/authorization\/roles\/[^/]+$/, guarded((_req, seg) => (state.roles.delete(seg[2]!) ? { status: 204 } : notFound("Role")))],

    // AuthKit OAuth resources (the Resource Indicator; REST only)
    [
      "GET",
      /^\/user_management\/authkit_oauth_resources$/,
      guarded((req) => list(req, [...state.oauthResources.values()], (r) => ({ object: "authkit_oauth_resource", ...r, created_at: now(), updated_at: now() }))),
    ],
    [
      "POST",
      /^\/user_management\/authkit_oauth_resources$/,
      guarded((req) => {
        const uri = req.body.uri;
        if (typeof uri !== "string" || !/^https?:\/\//.test(uri)) return json(422, { code: "invalid_request", message: "uri must be an http(s) URL." });
        if ([...state.oauthResources.values()].some((r) => r.uri === uri)) return json(409, { code: "oauth_resource_already_exists", message: "This resource already exists." });
        const resource = { id: id("oauth_resource"), uri };
        state.oauthResources.set(resource.id, resource);
        return json(201, { object: "authkit_oauth_resource", ...resource, created_at: now(), updated_at: now() });
      }),
    ],
    [
      "DELETE",
      /^\/user_management\/authkit_oauth_resources\/[^/]+$/,
      guarded((_req, seg) => (state.oauthResources.delete(seg[2]!) ? { status: 204 } : notFound("OAuth resource"))),
    ],
  ];
}
