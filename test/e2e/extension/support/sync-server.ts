/**
 * A tiny page + sync-socket server on 127.0.0.1 (port 0) for the extension shell's tests. It is not the
 * Convex harness (test/harness): the socket only answers every client frame with one server frame, which is
 * all the relay/background tests need to count events end to end.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export const SYNC_PATH = "/api/1.48.0/sync";

export interface SyncServer {
  origin: string;
  /** Frames the server received, in order (text). */
  received: string[];
  /** Serve `html` at `path` (text/html). */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

/** A page whose inline script opens a sync socket and exposes `send(n)` to send n numbered frames. */
export function syncPageHtml(opts: { initial?: number } = {}): string {
  const initial = opts.initial ?? 2;
  return `<!doctype html><html><head><title>sync page</title><script>
  window.__acks = 0;
  window.__sent = 0;
  const ws = new WebSocket(location.origin.replace("http", "ws") + "${SYNC_PATH}");
  window.__ws = ws;
  window.send = (n) => { for (let j = 0; j < n; j++) ws.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: window.__sent, newVersion: ++window.__sent, modifications: [] })); };
  ws.onmessage = () => { window.__acks++; };
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: "Connect", sessionId: "00000000-0000-4000-8000-000000000000", connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
    window.send(${initial - 1});
  };
</script></head><body>sync page</body></html>`;
}

export async function startSyncServer(): Promise<SyncServer> {
  const pages = new Map<string, string>();
  const received: string[] = [];
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const html = pages.get(path);
    if (html === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    if ((req.url ?? "").split("?")[0] !== SYNC_PATH) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      let version = 0;
      ws.on("message", (data) => {
        received.push(String(data));
        ws.send(JSON.stringify({ type: "Transition", startVersion: { querySet: version, identity: 0, ts: "AAAAAAAAAAA=" }, endVersion: { querySet: ++version, identity: 0, ts: "AAAAAAAAAAA=" }, modifications: [] }));
      });
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    page(path, html) {
      pages.set(path, html);
      return origin + path;
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      // Chromium keeps keep-alive sockets open: without this, close() waits for them (recipe §3a pitfall).
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

/** A fresh server for each test of a spec file: `syncServerPerTest(test, (s) => (server = s))`. */
export function syncServerPerTest(
  t: { beforeEach(fn: () => Promise<void>): void; afterEach(fn: () => Promise<void>): void },
  set: (s: SyncServer) => void,
): void {
  let current: SyncServer | null = null;
  t.beforeEach(async () => {
    current = await startSyncServer();
    set(current);
  });
  t.afterEach(async () => {
    await current?.close();
    current = null;
  });
}
