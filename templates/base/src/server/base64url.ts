/** RFC 4648 §5 base64url without padding, for cookies, handles, codes and PKCE. */
export const toBase64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
export const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** 32 random bytes, base64url: codes, tokens, PKCE verifiers. */
export const randomToken = () => toBase64url(crypto.getRandomValues(new Uint8Array(32)));

/** A PKCE S256 challenge for `verifier` (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  return toBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}
