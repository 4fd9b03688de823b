import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyAccessToken } from "../src/server/jwt.js";

// A verified token is remembered so its signature is not checked on every call; these check what must still be.
let server: Server;
let published: JWK[] = [];
let jwksUri: string;
const issuer = "https://issuer.example";
const audience = "https://mcp.example/mcp";

async function key(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  return { jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256" }, privateKey };
}
const sign = (privateKey: CryptoKey, kid: string, claims: { exp: number; nbf?: number }) =>
  new SignJWT({ ...claims }).setProtectedHeader({ alg: "ES256", kid }).setIssuer(issuer).setAudience(audience).setSubject("user_1").sign(privateKey);
/** A key URL of its own per test: jose keeps one key set per URL, refetching at most every few seconds. */
const at = (name: string) => `${jwksUri}?${name}`;
const nowS = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => server.close());
afterEach(() => vi.useRealTimers());

describe("verifyAccessToken on a token used again", () => {
  it("still refuses it once it has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const a = await key("expiry");
    published = [a.jwk];
    const token = await sign(a.privateKey, "expiry", { exp: nowS() + 120 });
    await expect(verifyAccessToken(token, { issuer, audience, keys: at("expiry") })).resolves.toMatchObject({ sub: "user_1" });
    vi.setSystemTime(Date.now() + 200_000);
    await expect(verifyAccessToken(token, { issuer, audience, keys: at("expiry") })).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
  });

  it("refuses it for another audience, though it verified for this one", async () => {
    const a = await key("audience");
    published = [a.jwk];
    const token = await sign(a.privateKey, "audience", { exp: nowS() + 600 });
    await verifyAccessToken(token, { issuer, audience, keys: at("audience") });
    await expect(verifyAccessToken(token, { issuer, audience: "https://other.example/mcp", keys: at("audience") })).rejects.toMatchObject({
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    });
  });

  it("stops accepting it once the issuer withdrew its key and the keys are fetched again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const a = await key("withdrawn");
    const b = await key("replacement");
    published = [a.jwk];
    const token = await sign(a.privateKey, "withdrawn", { exp: nowS() + 3600 });
    await verifyAccessToken(token, { issuer, audience, keys: at("withdrawn") });
    published = [b.jwk];
    // Within the key cache's age the token (like its key) still counts; after it, neither does.
    await expect(verifyAccessToken(token, { issuer, audience, keys: at("withdrawn") })).resolves.toBeTruthy();
    vi.setSystemTime(Date.now() + 11 * 60_000);
    await expect(verifyAccessToken(token, { issuer, audience, keys: at("withdrawn") })).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
  });

  it("does not remember a token that is not valid yet", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const a = await key("early");
    published = [a.jwk];
    const token = await sign(a.privateKey, "early", { exp: nowS() + 3600, nbf: nowS() + 300 });
    await expect(verifyAccessToken(token, { issuer, audience, keys: at("early") })).rejects.toMatchObject({ code: "ERR_JWT_CLAIM_VALIDATION_FAILED" });
    vi.setSystemTime(Date.now() + 400_000);
    await expect(verifyAccessToken(token, { issuer, audience, keys: at("early") })).resolves.toMatchObject({ sub: "user_1" });
  });
});
