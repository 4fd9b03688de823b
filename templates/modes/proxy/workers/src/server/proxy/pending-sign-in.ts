import type { UpstreamPerson } from "./upstream-client.js";
import { fromBase64url, toBase64url } from "../base64url.js";

/**
 * Who signed in, held from the consent page until its form comes back: under the SHA-256 of the page's consent handle,
 * encrypted with a key derived from the handle (as the OAuth provider keeps its own transactions), so KV alone reveals
 * neither the person nor their upstream refresh token. Read only after `approveConsent` / `denyConsent` accepted the
 * handle, which binds it to this browser and to one use.
 */

const TTL_S = 600; // the consent handle's own lifetime
const encoder = new TextEncoder();

async function keyName(handle: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(handle)));
  return `pending-sign-in:${toBase64url(digest)}`;
}

async function sealingKey(handle: string): Promise<CryptoKey> {
  const material = await crypto.subtle.digest("SHA-256", encoder.encode(`pending-sign-in-key:${handle}`));
  return crypto.subtle.importKey("raw", material, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function holdSignIn(kv: KVNamespace, handle: string, person: UpstreamPerson): Promise<void> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await sealingKey(handle), encoder.encode(JSON.stringify(person))));
  await kv.put(await keyName(handle), `${toBase64url(iv)}.${toBase64url(sealed)}`, { expirationTtl: TTL_S });
}

/** The person held for `handle`, once; null when it expired or was taken. */
export async function takeSignIn(kv: KVNamespace, handle: string): Promise<UpstreamPerson | null> {
  const name = await keyName(handle);
  const value = await kv.get(name);
  if (value === null) return null;
  await kv.delete(name);
  const [iv = "", sealed = ""] = value.split(".");
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv) }, await sealingKey(handle), fromBase64url(sealed));
    return JSON.parse(new TextDecoder().decode(plain)) as UpstreamPerson;
  } catch {
    return null;
  }
}
