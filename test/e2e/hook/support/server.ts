/**
 * A real HTTP + WebSocket server on 127.0.0.1 (port 0) for the hook's browser tests: serves test pages,
 * a Convex-like sync socket at /api/1.48.0/sync and /api/sync, a non-sync socket at /other, and /api HTTP
 * endpoints with fixed answers. It logs every frame it receives, per socket, in order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";

/** One frame as the server received it. */
export interface ServerFrame {
  binary: boolean;
  size: number;
  /** Text frames: the text; binary frames: hex of the first 16 bytes. */
  text: string;
}

export interface ServedSocket {
  path: string;
  frames: ServerFrame[];
}

export interface TestServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Serve `html` at `path` (e.g. "/page"). */
  page(path: string, html: string): void;
  /** Every WebSocket connection accepted so far, in order. */
  sockets: ServedSocket[];
  /** Paths of every HTTP request received (incl. CORS preflights), in order. */
  requests: { method: string; path: string; authorization: string | null }[];
  close(): Promise<void>;
}

/** The 401 body a Convex deployment sends for a token it cannot match (reference §6). */
export const NO_AUTH_PROVIDER_BODY = JSON.stringify({
  code: "NoAuthProvider",
  message: "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.",
});
/** A 500 body larger than the hook's 4 KiB bound. */
export const LARGE_ERROR_BODY = `{"code":"InternalServerError","message":"${"x".repeat(10_000)}"}`;
/** Size of the large server frame sent on request ("big"). */
export const BIG_FRAME_SIZE = 5 * 1024 * 1024;

/** A deterministic large frame: JSON-looking text of exactly BIG_FRAME_SIZE characters. */
export function bigFrame(): string {
  const head = '{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"filler":"';
  const tail = '","end":true}';
  return head + "a".repeat(BIG_FRAME_SIZE - head.length - tail.length) + tail;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, convex-client, content-type",
  "access-control-allow-methods": "GET, POST, OPTIONS",
};

function answer(req: IncomingMessage, res: ServerResponse, pages: Map<string, string>): void {
  const url = new URL(req.url ?? "/", "http://x");
  const path = url.pathname;
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS).end();
    return;
  }
  const html = pages.get(path);
  if (html !== undefined) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
    return;
  }
  const json = (status: number, body: string): void => {
    res.writeHead(status, { ...CORS, "content-type": "application/json" }).end(body);
  };
  if (path.endsWith("/api/query")) return json(401, NO_AUTH_PROVIDER_BODY);
  if (path.endsWith("/api/mutation")) return json(200, '{"status":"success","value":null}');
  if (path.endsWith("/api/action")) return json(500, LARGE_ERROR_BODY);
  if (path.endsWith("/api/query_ts")) {
    // An error response whose body starts and then stalls (never ends while the server runs).
    res.writeHead(503, { ...CORS, "content-type": "application/json" });
    res.write('{"code":"Overloaded"');
    return;
  }
  if (path.endsWith("/api/run/messages/list")) return json(200, '{"status":"success","value":[]}');
  if (path === "/plain" || path === "/hello" || path === "/api/users") return json(200, '{"ok":true}');
  res.writeHead(404, CORS).end("not found");
}

function frameOf(data: RawData, isBinary: boolean): ServerFrame {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return isBinary
    ? { binary: true, size: buf.length, text: buf.subarray(0, 16).toString("hex") }
    : { binary: false, size: buf.toString("utf8").length, text: buf.toString("utf8") };
}

/**
 * Scripted sync server: echoes each text frame as {"echo":<frame>}; "big" → the 5 MB frame; "bin" → 300
 * binary bytes; "close" → close(4001, "bye"); "script" → a fixed sequence of varied frames; "burst:N:S" → N
 * frames of about S characters (for the benchmark).
 */
function onSync(ws: WebSocket, log: ServedSocket): void {
  ws.on("message", (data, isBinary) => {
    const f = frameOf(data, isBinary);
    log.frames.push(f);
    if (isBinary) return ws.send(Buffer.from([1, 2, 3]), { binary: true });
    if (f.text === "big") return ws.send(bigFrame());
    if (f.text === "bin") return ws.send(Buffer.alloc(300, 7), { binary: true });
    if (f.text === "close") return ws.close(4001, "bye");
    const burst = /^burst:(\d+):(\d+)$/.exec(f.text);
    if (burst) {
      // N Transition-like frames of about S characters each, as fast as the socket takes them.
      const frame = `{"type":"Transition","modifications":[{"type":"QueryUpdated","value":"${"v".repeat(Number(burst[2]))}"}]}`;
      for (let i = 0; i < Number(burst[1]); i++) ws.send(frame);
      return;
    }
    if (f.text === "script") {
      ws.send('{"type":"Transition","n":1}');
      ws.send("é✓😀 unicode");
      ws.send(Buffer.from([0, 255, 128]), { binary: true });
      ws.send("y".repeat(70_000));
      ws.send(bigFrame());
      ws.send('{"type":"Ping"}');
      return;
    }
    ws.send(JSON.stringify({ echo: f.text }));
  });
}

export async function startServer(): Promise<TestServer> {
  const pages = new Map<string, string>();
  const sockets: ServedSocket[] = [];
  const requests: TestServer["requests"] = [];
  const http = createServer((req, res) => {
    const auth = req.headers.authorization;
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: typeof auth === "string" ? auth : null });
    answer(req, res, pages);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const open = new Set<Socket>();
  http.on("connection", (s: Socket) => {
    open.add(s);
    s.on("close", () => open.delete(s));
  });
  http.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.searchParams.has("fail")) {
      socket.end("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const log: ServedSocket = { path: url.pathname, frames: [] };
      sockets.push(log);
      if (/\/api\/(\d+\.\d+\.\d+[^/]*\/)?sync$/.test(url.pathname)) onSync(ws, log);
      else
        ws.on("message", (data, isBinary) => {
          log.frames.push(frameOf(data, isBinary));
          ws.send(data, { binary: isBinary });
        });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    page: (path, html) => void pages.set(path, html),
    sockets,
    requests,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
