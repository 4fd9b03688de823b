/** Node's one-shot hash (node:crypto `hash`), where the runtime has it: synchronous, unlike Web Crypto's digest. */
const nodeHash = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.("node:crypto") as
  | { hash?(algorithm: string, data: string, encoding: "hex"): string }
  | undefined;

/** The SHA-256 of `text` (UTF-8), as hex. */
export async function sha256Hex(text: string): Promise<string> {
  if (nodeHash?.hash) return nodeHash.hash("sha256", text, "hex");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
