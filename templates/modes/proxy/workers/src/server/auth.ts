import { insufficientScope, type OAuthResourceAuth } from "@cloudflare/workers-oauth-provider";
import type { Context } from "hono";
import type { AppEnv } from "./app.js";
import type { AuthLayer } from "./auth-layer.js";
import { permissionsFrom, serviceIdentity } from "./policy/permissions.js";
import { proxyRoutes } from "./proxy/routes.js";
import { accountRoutes } from "./proxy/account-routes.js";
import { personSessionRoutes } from "./proxy/person-session.js";
import { confirmationPageFor, confirmationRoutes } from "./proxy/confirmation-routes.js";
import type { GrantProps } from "./proxy/proxy-types.js";
import { cookieKeyProblems } from "./proxy/approvals.js";
import { activeUpstream, developmentRoutes } from "./proxy/dev-upstream.js";
import { upstream } from "../sign-in.js";
import type { ServiceProps } from "./proxy/upstream-client.js";

/**
 * Proxy mode: this server is the OAuth authorization server. The provider in src/index.ts only lets requests
 * with a valid access token of its own reach /mcp, and hands over the grant's props and the token's facts.
 * Permissions are what the person holds upstream (refreshed with every token refresh) ∩ the permission scopes the token
 * was granted: asking is never enough, and holding is not either once the person unticked it on the consent page.
 * Where the provider issues machine tokens (src/sign-in.ts `machineTokens`), an agent without a person calls with one of
 * the provider's client-credentials tokens instead (src/server/proxy/oauth-server.ts): a service, whose permissions are
 * its permission scopes.
 */
type GrantContext = ExecutionContext & { props?: GrantProps; auth?: OAuthResourceAuth };
const grantOf = (c: Context<AppEnv>) => c.executionCtx as GrantContext;

export const auth: AuthLayer = {
  signIn: {
    name: upstream.name,
    settingNames: upstream.settingNames,
    settingProblems: (env) => [...upstream.settingProblems(env), ...cookieKeyProblems(env)],
  },

  routes(app) {
    developmentRoutes(app);
    proxyRoutes(app, activeUpstream);
    personSessionRoutes(app);
    accountRoutes(app);
    confirmationRoutes(app);
  },

  // A client that cannot ask the person (2025-era) gets a link to this server's confirmation page for them.
  confirmationPage: confirmationPageFor,

  async identify(c) {
    const ctx = grantOf(c);
    const props = ctx.props;
    const service = (ctx.props as Partial<ServiceProps> | undefined)?.service;
    if (service && ctx.auth) return serviceIdentity(service);
    if (!props?.user || !ctx.auth) {
      return c.json({ error: "unauthorized", error_description: "Sign-in required." }, 401);
    }
    if (props.development && c.var.signIn.kind !== "development") {
      return c.json({ error: "invalid_token", error_description: "This sign-in came from the development sign-in, which ended once the real provider was set up. Sign in again." }, 401);
    }
    const granted = ctx.auth.scope;
    return {
      kind: "person",
      user: { id: props.user.id, email: props.user.email, email_verified: props.user.email_verified === true, name: props.user.name },
      organization: props.organization,
      role: props.role,
      ...permissionsFrom([props.development ? "role" : upstream.permissionSource, props.permissions.filter((p) => granted.includes(p))]),
      client_id: ctx.auth.clientId ?? props.client_id,
      ...(props.client_name ? { client_name: props.client_name } : {}),
      scopes: ctx.auth.scope,
      expires_at: ctx.auth.expiresAt ? new Date(ctx.auth.expiresAt * 1000).toISOString() : null,
      ...(props.development ? { hint: "Signed in through the development sign-in: a test person, on this machine only." } : {}),
    };
  },

  /**
   * Step-up: a permission the person holds upstream but this token was not granted (not asked for, or unticked) is a
   * 403 challenge naming every scope the call needs with those already granted, so the agent re-authorizes. One the
   * person does not hold at all cannot be had by re-authorizing: null, and the tool error names it.
   */
  stepUp(c, _identity, needed) {
    const { props, auth: token } = grantOf(c);
    // A service (client credentials) has the scopes its application was given: no re-authorization adds one.
    if (!props?.user || !token || !needed.every((p) => props.permissions.includes(p))) return null;
    return insufficientScope(token, [...token.scope, ...needed], `This call needs the scope ${needed.join(", ")}.`);
  },
};
