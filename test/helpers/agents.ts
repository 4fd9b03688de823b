import type { WorkosFake } from "../fakes/workos.js";

/**
 * An agent without a person, made as `create-mcp-auth agents add` makes one (an M2M application of one organization and
 * its client secret, through the stand-in's API), and a client-credentials token for it from AuthKit's token endpoint.
 */
export async function addAgent(workos: WorkosFake, opts: { name: string; organizationId: string; scopes: string[] }) {
  const api = (path: string, body: unknown) =>
    fetch(`${workos.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${workos.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then(
      async (r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.json() as Promise<Record<string, any>>;
      },
    );
  const app = await api("/connect/applications", { application_type: "m2m", name: opts.name, organization_id: opts.organizationId, scopes: opts.scopes });
  const { secret } = await api(`/connect/applications/${app.id}/client_secrets`, {});
  return { id: app.id as string, clientId: app.client_id as string, secret: secret as string };
}

/** POST /oauth2/token with grant_type=client_credentials (client_secret_basic); the raw response, to see errors too. */
export function clientCredentials(workos: WorkosFake, agent: { clientId: string; secret: string }, params: { scope?: string; resource?: string } = {}) {
  const body = new URLSearchParams({ grant_type: "client_credentials", ...params });
  const basic = Buffer.from(`${encodeURIComponent(agent.clientId)}:${encodeURIComponent(agent.secret)}`).toString("base64");
  return fetch(`${workos.url}/oauth2/token`, { method: "POST", headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" }, body });
}

/** A client-credentials access token for `resource`, or an error naming what AuthKit answered. */
export async function serviceToken(workos: WorkosFake, agent: { clientId: string; secret: string }, params: { scope?: string; resource?: string }): Promise<string> {
  const response = await clientCredentials(workos, agent, params);
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`client_credentials: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token as string;
}
