/**
 * The /mcp request body, read more strictly than the MCP SDK does by itself (it accepts 4 MiB, replaces invalid UTF-8
 * and parses any depth): at most 1 MiB, valid UTF-8, at most 64 levels of nesting, then parsed once. A refusal is a
 * JSON-RPC error, so clients show it; a body that is not JSON at all is left to the SDK (415).
 */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;

// (Without `stream`, each decode starts afresh: one decoder serves every request.)
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export type JsonBody = { parsed: unknown } | { refused: Response } | { notJson: true };

const refuse = (status: number, code: number, message: string): { refused: Response } => ({
  refused: Response.json({ jsonrpc: "2.0", id: null, error: { code, message } }, { status }),
});

export async function readJsonBody(request: Request, isJson: (contentType: string | null) => boolean): Promise<JsonBody> {
  if (!isJson(request.headers.get("content-type"))) return { notJson: true };
  const bytes = await readBounded(request);
  if (bytes === null) return refuse(413, -32000, `Payload Too Large: the request body must not exceed ${MAX_BODY_BYTES} bytes.`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return refuse(400, -32700, "Parse error: the request body is not valid UTF-8.");
  }
  if (nestingDepth(text) > MAX_DEPTH) return refuse(400, -32600, `Invalid request: JSON nested deeper than ${MAX_DEPTH} levels.`);
  try {
    return { parsed: JSON.parse(text) };
  } catch {
    return refuse(400, -32700, "Parse error: Invalid JSON");
  }
}

/** The body's bytes, or null once more than the limit has arrived (a declared Content-Length over it reads nothing). */
async function readBounded(request: Request): Promise<Uint8Array | null> {
  const declared = request.headers.get("content-length");
  if (Number(declared) > MAX_BODY_BYTES) return null;
  // A declared length within the limit is all the body there is (the HTTP parser reads no more), so it is read whole —
  // on Node without making a web stream of the request. Only a body of undeclared length is counted as it arrives.
  if (declared !== null && /^\d+$/.test(declared.trim())) return new Uint8Array(await request.arrayBuffer());
  if (request.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > MAX_BODY_BYTES) return null;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
    else if (char === "]" || char === "}") depth--;
  }
  return deepest;
}
