import type { Context } from "hono";
import { cors } from "hono/cors";
import pkg from "../../package.json" with { type: "json" };
import type { AppEnv } from "./app.js";
import type { AuthLayer } from "./auth-layer.js";
import { bearerToken, challengeResponse } from "./bearer.js";
import { isTokenProblem, verifyAccessToken } from "./jwt.js";
import { provider } from "../sign-in.js";
import { permissions } from "../tools/index.js";
import type { Env } from "./settings.js";
import { DEV_SIGN_IN_CLAIM, developmentIdentity, developmentKeys, developmentRoutes } from "./dev-sign-in/authorization-server.js";

const METADATA_PATH = "/.well-known/oauth-protected-resource";

/** Scopes every token must carry (REQUIRED_SCOPES, space- or comma-separated). */
export function requiredScopes(env: Env): string[] {
  return (env.REQUIRED_SCOPES ?? "").split(/[\s,]+/).filter(Boolean);
}

const resourceOf = (origin: string) => `${origin}/mcp`;
const metadataUrlOf = (origin: string) => `${origin}${METADATA_PATH}/mcp`;

/** Whether the tools' permissions are scopes here: the provider's say, never for the development sign-in (its permissions are roles). */
const permissionScopes = (c: Context<AppEnv>) => provider.permissionsAreScopes === true && c.var.signIn.kind !== "development";

/**
 * Direct mode: the provider is the authorization server and this server only checks its tokens
 * (RFC 9728 metadata, RFC 6750 challenges, JWT checks). The token is never logged or passed on.
 */
export const auth: AuthLayer = {
  signIn: provider,

  routes(app) {
    developmentRoutes(app, provider.name);
    // Path-aware (/mcp) and root metadata: clients try the first, then the second.
    app.use(`${METADATA_PATH}/*`, cors());
    app.use(METADATA_PATH, cors());
    for (const path of [`${METADATA_PATH}/mcp`, METADATA_PATH]) {
      app.get(path, (c) => {
        const scopes = [...new Set([...requiredScopes(c.env), ...(permissionScopes(c) ? permissions : [])])];
        return c.json({
          resource: resourceOf(c.var.origin),
          authorization_servers: [c.var.signIn.kind === "development" ? c.var.origin : provider.issuer(c.env)],
          bearer_methods_supported: ["header"],
          resource_name: pkg.name,
          ...(scopes.length ? { scopes_supported: scopes } : {}),
        });
      });
    }
  },

  async identify(c) {
    const resource = resourceOf(c.var.origin);
    const resourceMetadataUrl = metadataUrlOf(c.var.origin);
    const required = requiredScopes(c.env);
    const token = bearerToken(c.req.raw);
    if (token === null) return challengeResponse({ resourceMetadataUrl, scope: required });
    if (token === "malformed") {
      return challengeResponse({ resourceMetadataUrl, error: "invalid_token", description: "The Authorization header is not a Bearer token.", scope: required });
    }
    const development = c.var.signIn.kind === "development";
    let claims;
    try {
      if (development) {
        claims = await verifyAccessToken(token, { issuer: c.var.origin, audience: resource, keys: await developmentKeys() });
      } else {
        const issuer = provider.issuer(c.env);
        claims = await verifyAccessToken(token, { issuer, audience: provider.audience(c.env, resource), keys: await provider.jwksUri(issuer) });
        // Never believed once the provider is set up, even if a provider were configured to be this server itself.
        if (claims[DEV_SIGN_IN_CLAIM] === true) throw Object.assign(new Error("a development sign-in token"), { code: "ERR_JWT_CLAIM_VALIDATION_FAILED" });
      }
    } catch (error) {
      if (!isTokenProblem(error)) {
        // The issuer's metadata or keys could not be fetched: nothing is known about the token, so no 401 (which tells
        // clients to throw it away and sign in again, at an authorization server that is not answering either).
        console.error(`Checking a token failed: ${(error as Error).message}`);
        return Response.json(
          { error: "temporarily_unavailable", error_description: "The authorization server's signing keys could not be fetched. Try again shortly." },
          { status: 503, headers: { "retry-after": "30" } },
        );
      }
      const description = (error as { code?: string }).code === "ERR_JWT_EXPIRED" ? "The token has expired." : "The token is not valid for this server.";
      return challengeResponse({ resourceMetadataUrl, error: "invalid_token", description, scope: required });
    }
    const identity = development ? developmentIdentity(claims) : await provider.identity(claims, c.env);
    const missing = required.filter((scope) => !identity.scopes.includes(scope));
    if (missing.length) {
      return challengeResponse({
        resourceMetadataUrl,
        error: "insufficient_scope",
        description: `The token lacks the scope ${missing.join(", ")}.`,
        scope: [...new Set([...required, ...identity.scopes])],
      });
    }
    return identity;
  },

  stepUp(c, identity, needed) {
    if (!permissionScopes(c)) return null;
    return challengeResponse({
      resourceMetadataUrl: metadataUrlOf(c.var.origin),
      error: "insufficient_scope",
      description: `This call needs the scope ${needed.join(", ")}.`,
      // Every scope the call needs, with those already granted, so re-authorizing keeps what the agent has.
      scope: [...new Set([...requiredScopes(c.env), ...identity.scopes, ...needed])],
    });
  },
};
