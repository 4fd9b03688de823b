import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as a fake's route sees it. */
export interface FakeRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON or form body (form fields as strings); {} when empty. */
  body: Record<string, unknown>;
  /** The body as sent (multipart uploads are parsed from it). */
  raw: Buffer;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as text/html. */
  body?: unknown;
}

export type Route = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface Fault {
  status: number;
  /** How many matching requests fail; Infinity for "until cleared". */
  times: number;
  /** Wait this long before answering (a timeout test sets it above the client's timeout). */
  delayMs?: number;
  /** The answer's body, e.g. a vendor's error envelope; by default `{ message: "injected <status>" }`. */
  body?: unknown;
}

/** A loopback HTTP server with method+path routes, a request log and faults injected on demand. */
export class HttpFake {
  readonly requests: { method: string; path: string }[] = [];
  private readonly faults: { match: RegExp; fault: Fault }[] = [];
  private server!: http.Server;
  url = "";

  constructor(private readonly routes: [method: string, path: RegExp, route: Route][]) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` requests whose "METHOD /path" matches fail with `status`. */
  fail(match: RegExp, fault: Fault): void {
    this.faults.push({ match, fault: { ...fault } });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    this.requests.push({ method, path: url.pathname });
    let response: FakeResponse;
    try {
      const raw = await readRaw(req);
      const body = parseBody(raw, req.headers["content-type"] ?? "");
      const faulted = this.takeFault(`${method} ${url.pathname}`);
      if (faulted?.delayMs) {
        // A slow answer, or none at all: the wait ends early when the caller gives up and closes the connection.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, faulted.delayMs);
          res.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (faulted) {
        response = { status: faulted.status, headers: faulted.status === 429 ? { "retry-after": "0" } : {}, body: faulted.body ?? { message: `injected ${faulted.status}` } };
      } else {
        const route = this.routes.find(([m, path]) => m === method && path.test(url.pathname));
        response = route
          ? await route[2]({ method, url, headers: req.headers, body, raw })
          : { status: 404, body: { message: `No route for ${method} ${url.pathname}` } };
      }
    } catch (error) {
      response = { status: 500, body: { message: String(error) } };
    }
    const isJson = typeof response.body === "object" && response.body !== null;
    res.writeHead(response.status, {
      ...(response.body === undefined ? {} : { "content-type": isJson ? "application/json" : "text/html; charset=utf-8" }),
      ...response.headers,
    });
    res.end(response.body === undefined ? undefined : isJson ? JSON.stringify(response.body) : String(response.body));
  }

  private takeFault(request: string): Fault | undefined {
    const entry = this.faults.find((f) => f.fault.times > 0 && f.match.test(request));
    if (!entry) return undefined;
    entry.fault.times -= 1;
    return entry.fault;
  }
}

async function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (!text || contentType.includes("multipart/form-data")) return {};
  if (contentType.includes("application/json")) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({ status, body, headers });
export const redirect = (location: string): FakeResponse => ({ status: 302, headers: { location } });
