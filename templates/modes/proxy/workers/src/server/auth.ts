import type { OAuthResourceAuth } from "@cloudflare/workers-oauth-provider";
import type { AuthLayer } from "./auth-layer.js";
import { permissionsFrom, serviceIdentity } from "./policy/permissions.js";
import { proxyRoutes } from "./proxy/routes.js";
import type { GrantProps } from "./proxy/proxy-types.js";
import { cookieKeyProblems } from "./proxy/approvals.js";
import { activeUpstream, developmentRoutes } from "./proxy/dev-upstream.js";
import { upstream } from "../sign-in.js";
import type { ServiceProps } from "./proxy/upstream-client.js";

/**
 * Proxy mode: this server is the OAuth authorization server. The provider in src/index.ts only lets requests
 * with a valid access token of its own reach /mcp, and hands over the grant's props and the token's facts.
 * Permissions are what the person holds upstream (refreshed with every token refresh), never the scopes a client asked for.
 * Where the provider issues machine tokens (src/sign-in.ts `machineTokens`), an agent without a person calls with one of
 * the provider's client-credentials tokens instead (src/server/proxy/oauth-server.ts): a service, whose permissions are
 * its permission scopes.
 */
export const auth: AuthLayer = {
  signIn: {
    name: upstream.name,
    settingNames: upstream.settingNames,
    settingProblems: (env) => [...upstream.settingProblems(env), ...cookieKeyProblems(env)],
  },

  routes(app) {
    developmentRoutes(app);
    proxyRoutes(app, activeUpstream);
  },

  async identify(c) {
    const ctx = c.executionCtx as ExecutionContext & { props?: GrantProps; auth?: OAuthResourceAuth };
    const props = ctx.props;
    const service = (ctx.props as Partial<ServiceProps> | undefined)?.service;
    if (service && ctx.auth) return serviceIdentity(service);
    if (!props?.user || !ctx.auth) {
      return c.json({ error: "unauthorized", error_description: "Sign-in required." }, 401);
    }
    if (props.development && c.var.signIn.kind !== "development") {
      return c.json({ error: "invalid_token", error_description: "This sign-in came from the development sign-in, which ended once the real provider was set up. Sign in again." }, 401);
    }
    return {
      kind: "person",
      user: { id: props.user.id, email: props.user.email, email_verified: props.user.email_verified === true, name: props.user.name },
      organization: props.organization,
      role: props.role,
      ...permissionsFrom([props.development ? "role" : upstream.permissionSource, props.permissions]),
      client_id: ctx.auth.clientId ?? props.client_id,
      scopes: ctx.auth.scope,
      expires_at: ctx.auth.expiresAt ? new Date(ctx.auth.expiresAt * 1000).toISOString() : null,
      ...(props.development ? { hint: "Signed in through the development sign-in: a test person, on this machine only." } : {}),
    };
  },
};
