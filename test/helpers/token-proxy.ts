import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback HTTP proxy in front of a server that adds `Authorization: Bearer <token>` to /mcp requests, for clients
 * that cannot send one (the MCP conformance suite). Everything else passes as it came — Host and Origin included, so
 * the server's DNS-rebinding checks still see what the client sent — and answers stream back unbuffered.
 */
export async function startTokenProxy(targetPort: number) {
  let token: string | null = null;
  const server = http.createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers };
    if (token && (incoming.url ?? "").startsWith("/mcp")) headers.authorization = `Bearer ${token}`;
    const upstream = http.request({ host: "127.0.0.1", port: targetPort, path: incoming.url, method: incoming.method, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    setToken(value: string) {
      token = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
