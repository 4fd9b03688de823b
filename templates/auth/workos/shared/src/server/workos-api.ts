import { isLoopbackHost } from "./origin.js";
import { secureUrl, SettingsError, type Env } from "./settings.js";

/** AUTHKIT_DOMAIN as an origin: a bare host means https://; plain http only for localhost / 127.0.0.1. */
export function authkitUrl(env: Env): string {
  const value = env.AUTHKIT_DOMAIN?.trim();
  if (!value) throw new SettingsError("AUTHKIT_DOMAIN is not set: copy it from the WorkOS dashboard (Connect → Configuration), e.g. acme-123.authkit.app.");
  return secureUrl(value.includes("://") ? value : `https://${value}`, "AUTHKIT_DOMAIN").origin;
}

/** The WorkOS API origin: api.workos.com, or WORKOS_API_HOSTNAME (host[:port]) for staging and local stand-ins. */
export function workosApiUrl(env: Env): string {
  const host = env.WORKOS_API_HOSTNAME?.trim() || "api.workos.com";
  const hostname = host.replace(/:\d+$/, "");
  return secureUrl(`${isLoopbackHost(hostname) ? "http" : "https"}://${host}`, "WORKOS_API_HOSTNAME").origin;
}

export interface Profile {
  email: string | null;
  /** WorkOS says the person proved they own `email`. */
  emailVerified: boolean;
  name: string | null;
}

const NO_PROFILE: Profile = { email: null, emailVerified: false, name: null };

const PROFILE_TTL_MS = 5 * 60_000;
const profiles = new Map<string, { profile: Profile; until: number }>();

/**
 * A person's email and name from the WorkOS API (AuthKit access tokens carry neither unless a JWT template adds them),
 * cached for a few minutes. Without WORKOS_API_KEY, or when the API fails, both are null (and the email unverified).
 */
export async function workosProfile(userId: string, env: Env): Promise<Profile> {
  const cached = profiles.get(userId);
  if (cached && cached.until > Date.now()) return cached.profile;
  const apiKey = env.WORKOS_API_KEY?.trim();
  if (!apiKey) return NO_PROFILE;
  try {
    const response = await fetch(`${workosApiUrl(env)}/user_management/users/${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`WorkOS answered ${response.status}`);
    const user = (await response.json()) as { email?: string; email_verified?: boolean; first_name?: string | null; last_name?: string | null };
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || null;
    const profile = { email: user.email ?? null, emailVerified: user.email_verified === true, name };
    profiles.set(userId, { profile, until: Date.now() + PROFILE_TTL_MS });
    return profile;
  } catch (error) {
    console.warn(`Could not look up WorkOS user ${userId}: ${(error as Error).message}`);
    return NO_PROFILE;
  }
}
