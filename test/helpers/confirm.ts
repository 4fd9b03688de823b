import { expect } from "vitest";

// A person's confirmation of a tool call, driven as raw 2026-07-28 HTTP rounds (the SDK client answers them inside
// callTool, so replays, forgeries and answers from elsewhere need the wire): the first round returns input_required
// with a signed requestState; the client sends the call again with the person's answer and that state.

const CAN_ASK = { elicitation: { form: {} } };
export const ACCEPTED = { confirm: { action: "accept", content: { confirm: true } } };

function toolCall(name: string, args: Record<string, unknown>, echoed: Record<string, unknown> = {}) {
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
    "io.modelcontextprotocol/clientCapabilities": CAN_ASK,
  };
  return { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, ...echoed, _meta } };
}

/** The JSON-RPC answer of one tools/call round (JSON, or an SSE stream's message). */
async function round(mcpUrl: string, headers: Record<string, string>, body: { params: { name: string } }) {
  const response = await fetch(mcpUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": body.params.name, ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const data = text.startsWith("{") ? text : text.split("\n").find((line) => line.startsWith("data: "))?.slice(6);
  if (!data) throw new Error(`no JSON-RPC answer (HTTP ${response.status}): ${text}`);
  return JSON.parse(data) as { result?: { resultType?: string; requestState?: string; content?: { text: string }[]; inputRequests?: Record<string, { params: { message: string } }> }; error?: { code: number; message: string } };
}

/** The first round: the question the person is asked, and the state to echo. */
export async function askToConfirm(mcpUrl: string, headers: Record<string, string>, tool: string, args: Record<string, unknown>) {
  const { result } = await round(mcpUrl, headers, toolCall(tool, args));
  expect(result, "the first round asks the person").toMatchObject({ resultType: "input_required" });
  return { question: result!.inputRequests!.confirm!.params.message, requestState: result!.requestState! };
}

/** The retry with the person's answer: the tool's JSON result, or the JSON-RPC error. */
export async function answerConfirmation(mcpUrl: string, headers: Record<string, string>, tool: string, args: Record<string, unknown>, requestState: string, inputResponses = ACCEPTED) {
  const answer = await round(mcpUrl, headers, toolCall(tool, args, { requestState, inputResponses }));
  return answer.error ? { error: answer.error } : { result: JSON.parse(answer.result!.content![0]!.text) as Record<string, unknown> };
}
