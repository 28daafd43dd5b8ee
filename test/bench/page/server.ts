/**
 * The page-cost bench's deployment: an HTTP + WebSocket server on 127.0.0.1 speaking just enough of the Convex
 * sync protocol for the real `convex` client (Connect, ModifyQuerySet, Mutation → MutationResponse + Transition),
 * plus the bench's own commands as mutations: `bench:burst {n, size}` answers with n Transitions each carrying a
 * `bench:feed` value of ~size characters. It serves the bundled page (page/app.ts) and a plain page.
 */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { WebSocketServer, type WebSocket } from "ws";
import { encodeU64 } from "../../harness/u64.ts";

export interface BenchServer {
  origin: string;
  close(): Promise<void>;
}

async function bundleApp(): Promise<string> {
  const r = await build({
    entryPoints: [fileURLToPath(new URL("./app.ts", import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  });
  return r.outputFiles[0]!.text;
}

/** The page counts every `message` event it can observe on window from its very first script on. */
const COUNTER = `<script>window.__windowMessages=0;addEventListener("message",()=>{window.__windowMessages++},true);</script>`;

type Version = { querySet: number; identity: number; ts: string };

/** One client socket's protocol state: versions must chain exactly (startVersion = the client's current one). */
function serveSocket(ws: WebSocket): void {
  let ts = 0n;
  let sent: Version = { querySet: 0, identity: 0, ts: encodeU64(0n) };
  let querySet = 0;
  const queries = new Set<number>();
  const transition = (modifications: unknown[]): void => {
    const end: Version = { querySet, identity: 0, ts: encodeU64(++ts) };
    ws.send(JSON.stringify({ type: "Transition", startVersion: sent, endVersion: end, modifications, clientClockSkew: 0, serverTs: Number(ts) }));
    sent = end;
  };
  const feed = (value: unknown) => [...queries].map((queryId) => ({ type: "QueryUpdated", queryId, value, logLines: [], journal: null }));
  ws.on("message", (raw, isBinary) => {
    if (isBinary) return;
    let msg: Record<string, any>;
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      return;
    }
    if (msg.type === "ModifyQuerySet") {
      querySet = msg.newVersion;
      for (const m of msg.modifications ?? []) {
        if (m.type === "Add") queries.add(m.queryId);
        if (m.type === "Remove") queries.delete(m.queryId);
      }
      transition(feed({ i: -1, pad: "" }));
    } else if (msg.type === "Mutation") {
      const args = (msg.args?.[0] ?? {}) as { n?: number; size?: number };
      ws.send(JSON.stringify({ type: "MutationResponse", requestId: msg.requestId, success: true, result: null, ts: encodeU64(ts + 1n), logLines: [] }));
      if (msg.udfPath === "bench:burst") {
        const pad = "x".repeat(Math.max(0, (args.size ?? 1000) - 40));
        for (let i = 0; i < (args.n ?? 1); i++) transition(feed({ i, pad }));
      } else transition([]);
    }
  });
}

export async function startBenchServer(): Promise<BenchServer> {
  const app = await bundleApp();
  const pages = new Map<string, string>([
    ["/app", `<!doctype html><meta charset="utf-8">${COUNTER}<script>${app.replace(/<\/script/gi, "<\\/script")}</script>`],
    ["/plain", `<!doctype html><meta charset="utf-8">${COUNTER}<title>plain</title><p>No Convex here.<script>for(let i=0;i<50;i++)document.body.append(document.createElement("div"))</script>`],
  ]);
  const sockets = new Set<Socket>();
  const http = createServer((req, res) => {
    const page = pages.get(new URL(req.url ?? "/", "http://x").pathname);
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(page ?? "not found");
  });
  http.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on("connection", (ws, req) => {
    if (/^\/api\/[^/]+\/sync$/.test(new URL(req.url ?? "/", "http://x").pathname)) serveSocket(ws);
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
