/** A real HTTP server on 127.0.0.1 (port 0) with per-path handlers and hit counters, for the key-source tests. */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  origin: string;
  url(path: string): string;
  route(path: string, handler: Handler): void;
  hits(path: string): number;
  /** Request headers of the last hit on `path`. */
  lastHeaders(path: string): IncomingMessage["headers"] | undefined;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const hitCount = new Map<string, number>();
  const last = new Map<string, IncomingMessage["headers"]>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hitCount.set(path, (hitCount.get(path) ?? 0) + 1);
    last.set(path, req.headers);
    const h = routes.get(path);
    if (h) h(req, res);
    else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("no route");
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => origin + path,
    route: (path, handler) => routes.set(path, handler),
    hits: (path) => hitCount.get(path) ?? 0,
    lastHeaders: (path) => last.get(path),
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging handlers keep sockets open: destroy them so close() returns.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reply with a fixed status, headers and body. */
export function reply(status: number, headers: Record<string, string>, body: string | Buffer): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

export function json(value: unknown, headers: Record<string, string> = { "content-type": "application/json" }): Handler {
  return reply(200, headers, JSON.stringify(value));
}
