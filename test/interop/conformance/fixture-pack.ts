// Test-only tool pack: the fixture tools the MCP conformance suite's scenarios call, written against this project's
// ToolPack contract (copied into a generated project as src/tools/conformance.ts by test/interop/conformance.test.ts,
// never shipped). Behaviours follow the suite's reference fixtures.
import { acceptedContent, inputRequired, inputResponse, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import { defineTool, McpResult, type ToolContext, type ToolPack } from "./types.js";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value: string) => new McpResult({ content: [{ type: "text", text: value }] });
const nameSchema = { type: "object" as const, properties: { name: { type: "string" as const } }, required: ["name"] };
const askName = (message = "What is your name?") => inputRequired.elicit({ message, requestedSchema: nameSchema });

/** The MCP request the call came in: the fixtures are about the protocol, so they all need it. */
const req = (ctx: ToolContext): ServerContext["mcpReq"] => ctx.mcp!.mcpReq;

const fixture = (name: string, run: (ctx: ToolContext, args: Record<string, unknown>) => unknown, inputSchema?: z.ZodRawShape) =>
  defineTool({ name, description: `Conformance fixture: ${name}`, ...(inputSchema ? { inputSchema } : {}), run: (args, ctx) => run(ctx, args as Record<string, unknown>) });

const elicitForm = (message: string, properties: Record<string, unknown>) =>
  inputRequired.elicit({ message, requestedSchema: { type: "object", properties, required: [] } as never });

export const conformancePack: ToolPack = {
  id: "conformance",
  tools: [
    fixture("test_simple_text", () => text("This is a simple text response for testing.")),
    fixture("test_image_content", () => new McpResult({ content: [{ type: "image", data: PNG, mimeType: "image/png" }] })),
    fixture("test_audio_content", () => new McpResult({ content: [{ type: "audio", data: WAV, mimeType: "audio/wav" }] })),
    fixture("test_embedded_resource", () =>
      new McpResult({ content: [{ type: "resource", resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." } }] })),
    fixture("test_multiple_content_types", () =>
      new McpResult({
        content: [
          { type: "text", text: "Multiple content types test:" },
          { type: "image", data: PNG, mimeType: "image/png" },
          { type: "resource", resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: JSON.stringify({ test: "data", value: 123 }) } },
        ],
      })),
    fixture("test_error_handling", () => {
      throw new Error("This tool intentionally returns an error for testing");
    }),
    fixture("test_tool_with_progress", async (ctx) => {
      const progressToken = req(ctx)._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) await req(ctx).notify({ method: "notifications/progress", params: { progressToken, progress, total: 100 } });
        if (progress < 100) await sleep(50);
      }
      return text(String(progressToken ?? "no-token"));
    }),
    fixture("test_tool_with_logging", async (ctx) => {
      for (const message of ["Tool execution started", "Tool processing data", "Tool execution completed"]) {
        await req(ctx).log("info", message);
        await sleep(50);
      }
      return text("Tool with logging executed successfully");
    }),
    // 2025-era push-style requests (a stateless server cannot make them; the baseline says so).
    fixture("test_sampling", (ctx, { prompt }) => {
      const answer = inputResponse(req(ctx).inputResponses, "llm");
      if (answer.kind === "sampling") return text(`LLM response: ${JSON.stringify(answer.result.content)}`);
      return new McpResult(inputRequired({ inputRequests: { llm: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: String(prompt) } }], maxTokens: 100 }) } }));
    }, { prompt: z.string() }),
    fixture("test_elicitation", (ctx, { message }) => {
      const answer = inputResponse(req(ctx).inputResponses, "user");
      if (answer.kind === "elicit") return text(`User response: action=${answer.action}`);
      return new McpResult(inputRequired({ inputRequests: { user: elicitForm(String(message), { username: { type: "string" }, email: { type: "string" } }) } }));
    }, { message: z.string() }),
    fixture("test_elicitation_sep1034_defaults", () =>
      new McpResult(inputRequired({ inputRequests: { form: elicitForm("Please review the form fields with defaults", { name: { type: "string", default: "John Doe" } }) } }))),
    fixture("test_elicitation_sep1330_enums", () =>
      new McpResult(inputRequired({ inputRequests: { form: elicitForm("Please select options", { untitledSingle: { type: "string", enum: ["option1", "option2"] } }) } }))),
    // 2026-07-28 multi-round-trip requests.
    fixture("test_input_required_result_elicitation", (ctx) => {
      const got = acceptedContent(req(ctx).inputResponses, "user_name") as { name?: unknown } | undefined;
      if (typeof got?.name === "string") return text(`Hello, ${got.name}!`);
      return new McpResult(inputRequired({ inputRequests: { user_name: askName() } }));
    }),
    fixture("test_input_required_result_sampling", (ctx) => {
      const answer = inputResponse(req(ctx).inputResponses, "capital_question");
      if (answer.kind === "sampling") return text("Sampling result received");
      return new McpResult(inputRequired({ inputRequests: { capital_question: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: "What is the capital of France?" } }], maxTokens: 100 }) } }));
    }),
    fixture("test_input_required_result_list_roots", (ctx) => {
      const answer = inputResponse(req(ctx).inputResponses, "client_roots");
      if (answer.kind === "roots") return text(`Found ${answer.roots.length} root(s)`);
      return new McpResult(inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } }));
    }),
    fixture("test_input_required_result_request_state", async (ctx) => {
      const state = req(ctx).requestState() as Record<string, unknown> | undefined;
      const ok = acceptedContent(req(ctx).inputResponses, "confirm") as { ok?: unknown } | undefined;
      if (state?.kind === "request-state" && ok?.ok === true) return text("state-ok: requestState validated");
      const confirm = inputRequired.elicit({ message: "Please confirm", requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } });
      return new McpResult(inputRequired({ inputRequests: { confirm }, requestState: await ctx.requestState!.mint({ kind: "request-state" }) }));
    }),
    fixture("test_input_required_result_multiple_inputs", async (ctx) => {
      const responses = req(ctx).inputResponses;
      const state = req(ctx).requestState() as Record<string, unknown> | undefined;
      if (state?.kind === "multiple-inputs" && acceptedContent(responses, "user_name") && inputResponse(responses, "greeting").kind === "sampling" && inputResponse(responses, "client_roots").kind === "roots") {
        return text("All inputs received");
      }
      return new McpResult(inputRequired({
        inputRequests: {
          user_name: askName(),
          greeting: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: "Generate a greeting" } }], maxTokens: 50 }),
          client_roots: inputRequired.listRoots(),
        },
        requestState: await ctx.requestState!.mint({ kind: "multiple-inputs" }),
      }));
    }),
    fixture("test_input_required_result_multi_round", async (ctx) => {
      const state = req(ctx).requestState() as Record<string, unknown> | undefined;
      const first = acceptedContent(req(ctx).inputResponses, "step1") as { name?: string } | undefined;
      const second = acceptedContent(req(ctx).inputResponses, "step2") as { color?: string } | undefined;
      if (state?.round === 2 && second?.color) return text(`Multi-round complete for ${String(state.name)} who likes ${second.color}`);
      if (state?.round === 1 && first?.name) {
        const step2 = inputRequired.elicit({ message: "Step 2: What is your favorite color?", requestedSchema: { type: "object", properties: { color: { type: "string" } }, required: ["color"] } });
        return new McpResult(inputRequired({ inputRequests: { step2 }, requestState: await ctx.requestState!.mint({ round: 2, name: first.name }) }));
      }
      return new McpResult(inputRequired({ inputRequests: { step1: askName("Step 1: What is your name?") }, requestState: await ctx.requestState!.mint({ round: 1 }) }));
    }),
    fixture("test_input_required_result_tampered_state", async (ctx) => {
      // A tampered state never gets here: the server verifies it (JSON-RPC -32602) before any tool runs.
      const state = req(ctx).requestState() as Record<string, unknown> | undefined;
      if (state?.kind === "tamper-test" && req(ctx).inputResponses?.confirm) return text("integrity-ok: state verified");
      const confirm = inputRequired.elicit({ message: "Please confirm", requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } });
      return new McpResult(inputRequired({ inputRequests: { confirm }, requestState: await ctx.requestState!.mint({ kind: "tamper-test" }) }));
    }),
    fixture("test_input_required_result_capabilities", (ctx) => {
      const responses = req(ctx).inputResponses;
      if (responses && Object.keys(responses).length > 0) return text(`capabilities-ok: received ${Object.keys(responses).join(",")}`);
      const envelope = (req(ctx).envelope ?? {}) as Record<string, unknown>;
      const capabilities = (envelope["io.modelcontextprotocol/clientCapabilities"] ?? {}) as Record<string, unknown>;
      const requests: Record<string, ReturnType<typeof askName> | ReturnType<typeof inputRequired.createMessage>> = {};
      if (capabilities.elicitation) requests.elicit_input = inputRequired.elicit({ message: "Elicitation input", requestedSchema: { type: "object", properties: { value: { type: "string" } }, required: ["value"] } });
      if (capabilities.sampling) requests.sample_input = inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: "Sample request" } }], maxTokens: 50 });
      if (Object.keys(requests).length === 0) return text("No supported capabilities declared");
      return new McpResult(inputRequired({ inputRequests: requests }));
    }),
    // Diagnostics of the stateless-server scenario.
    fixture("test_missing_capability", (ctx) => {
      // Asking for sampling from a client that did not declare it lets the SDK answer -32021 (HTTP 400) itself.
      if (inputResponse(req(ctx).inputResponses, "sample").kind === "sampling") return text("Success");
      return new McpResult(inputRequired({ inputRequests: { sample: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: "ping" } }], maxTokens: 10 }) } }));
    }),
    fixture("test_streaming_elicitation", async (ctx) => {
      await req(ctx).notify({ method: "notifications/progress", params: { progressToken: req(ctx)._meta?.progressToken ?? "token-abc", progress: 50, total: 100 } });
      return text("Streaming complete");
    }),
    fixture("test_logging_tool", async (ctx) => {
      await req(ctx).log("info", "Diagnostic trace logging activated");
      return text("Logging evaluated");
    }),
  ],
};
