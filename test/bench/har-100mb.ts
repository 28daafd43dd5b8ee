/**
 * Writes a realistic HAR of a busy Convex app to a file (default about 100 MB), streamed to disk: the page,
 * ~2 000 static assets (JS and CSS text, base64 images), JSON XHRs to another API, the Convex sync socket with
 * Connect / Authenticate (a real jose-signed token) / ModifyQuerySet and thousands of Transitions carrying
 * query results, token refreshes, a reconnect, and /api/query calls with CORS preflights and a few 401s.
 *   npx tsx test/bench/har-100mb.ts OUT.har [MEGABYTES] [busy|small-frames]
 */
import { createWriteStream } from "node:fs";
import { generateKeyPair, SignJWT } from "jose";

const DEPLOYMENT = "https://happy-otter-123.convex.cloud";
const SYNC = "wss://happy-otter-123.convex.cloud/api/1.48.0/sync";
const ISS = "https://fine-gull-12.clerk.accounts.dev";

/** Deterministic pseudo-random numbers, so every generated file is the same. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function writeBusyHar(path: string, megabytes = 100): Promise<{ bytes: number; entries: number; frames: number }> {
  const rand = rng(42);
  const target = megabytes * 1024 * 1024;
  const out = createWriteStream(path);
  let bytes = 0;
  const write = (s: string) => {
    bytes += Buffer.byteLength(s);
    return out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  };
  const { privateKey } = await generateKeyPair("RS256");
  const t0 = Date.UTC(2026, 10, 30, 9, 0, 0);
  const sign = (iat: number) =>
    new SignJWT({ azp: "http://localhost:5173", sid: "sess_2abc" })
      .setProtectedHeader({ alg: "RS256", kid: "ins_2abc", typ: "JWT" })
      .setIssuer(ISS)
      .setSubject("user_2busy")
      .setAudience("convex")
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(privateKey);

  const iso = (ms: number) => new Date(ms).toISOString();
  const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split(" ");
  const text = (n: number) => {
    let s = "";
    while (s.length < n) s += words[Math.floor(rand() * words.length)] + " ";
    return s;
  };
  const b64 = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256))).toString("base64");
  const entry = (o: { t: number; method?: string; url: string; headers?: { name: string; value: string }[]; status: number; mime: string; body?: string; encoding?: string; type: string }) =>
    JSON.stringify({
      startedDateTime: iso(o.t),
      time: 20 + rand() * 200,
      request: { method: o.method ?? "GET", url: o.url, httpVersion: "h2", headers: [{ name: ":authority", value: new URL(o.url).host }, { name: "user-agent", value: "Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0" }, { name: "cookie", value: "__session=abc; theme=dark" }, ...(o.headers ?? [])], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: o.status, statusText: "", httpVersion: "h2", headers: [{ name: "content-type", value: o.mime }], cookies: [], content: { size: o.body?.length ?? 0, mimeType: o.mime, ...(o.body !== undefined ? { text: o.body } : {}), ...(o.encoding ? { encoding: o.encoding } : {}) }, redirectURL: "", headersSize: -1, bodySize: -1 },
      cache: {},
      timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: 15, receive: 3 },
      serverIPAddress: "203.0.113.7",
      _resourceType: o.type,
    });

  // The sync socket: built first (its messages span the whole session), written where its start time falls.
  const messages: { type: "send" | "receive"; time: number; opcode: 1; data: string }[] = [];
  let t = t0 + 800;
  let identity = 0;
  let qs = 0;
  let ts = 1n;
  const send = (m: unknown) => messages.push({ type: "send", time: (t += 5) / 1000, opcode: 1, data: JSON.stringify(m) });
  const recv = (m: unknown) => messages.push({ type: "receive", time: (t += 15) / 1000, opcode: 1, data: JSON.stringify(m) });
  const version = (q: number, id: number, tsv: bigint) => ({ querySet: q, identity: id, ts: Buffer.from(new BigUint64Array([tsv]).buffer).toString("base64") });
  send({ connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: t, type: "Connect", sessionId: "6f1c0b1e-0000-4000-8000-00000000b0b0" });
  send({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: await sign(Math.floor(t / 1000)) });
  send({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [1, 2, 3].map((queryId) => ({ type: "Add", queryId, udfPath: `messages:list${queryId}`, args: [{ channel: `c${queryId}` }] })) });
  recv({ type: "Transition", startVersion: version(0, 0, 0n), endVersion: version(1, 1, ts), modifications: [], clientClockSkew: 12, serverTs: t * 1e6 });
  identity = 1;
  qs = 1;
  const socketBudget = target * 0.55;
  let socketBytes = 0;
  let lastRefresh = t;
  while (socketBytes < socketBudget) {
    t += 200 + rand() * 800;
    if (t - lastRefresh > 50_000) {
      // The client refreshes its 60 s token 10 s before exp.
      lastRefresh = t;
      send({ type: "Authenticate", baseVersion: identity, tokenType: "User", value: await sign(Math.floor(t / 1000)) });
      ts += 1n;
      recv({ type: "Transition", startVersion: version(qs, identity, ts - 1n), endVersion: version(qs, identity + 1, ts), modifications: [], clientClockSkew: 12, serverTs: t * 1e6 });
      identity++;
      continue;
    }
    const docs = Array.from({ length: 3 + Math.floor(rand() * 12) }, (_, i) => ({ _id: `k17${Math.floor(rand() * 1e12)}`, _creationTime: t - i * 1000, author: "user_2busy", body: text(60 + Math.floor(rand() * 200)) }));
    ts += 1n;
    const data = JSON.stringify({ type: "Transition", startVersion: version(qs, identity, ts - 1n), endVersion: version(qs, identity, ts), modifications: [{ type: "QueryUpdated", queryId: 1 + Math.floor(rand() * 3), value: docs, logLines: [], journal: null }], clientClockSkew: 12, serverTs: t * 1e6 });
    messages.push({ type: "receive", time: t / 1000, opcode: 1, data });
    socketBytes += data.length + 60;
  }
  const socketEnd = t;

  const entries: { t: number; json: () => Promise<string> | string }[] = [];
  entries.push({ t: t0, json: () => entry({ t: t0, url: "http://localhost:5173/", status: 200, mime: "text/html", body: `<!doctype html><html><head><script type="module" src="/assets/index.js"></script></head><body><div id="root"></div></body></html>`, type: "document" }) });
  entries.push({
    t: t0 + 800,
    json: () =>
      JSON.stringify({
        startedDateTime: iso(t0 + 800),
        time: 0,
        request: { method: "GET", url: SYNC, httpVersion: "HTTP/1.1", headers: [{ name: "Origin", value: "http://localhost:5173" }], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
        response: { status: 101, statusText: "Switching Protocols", httpVersion: "HTTP/1.1", headers: [], cookies: [], content: { size: 0, mimeType: "x-unknown" }, redirectURL: "", headersSize: -1, bodySize: 0 },
        cache: {},
        timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 40, receive: 0 },
        _resourceType: "websocket",
        _webSocketMessages: messages,
      }),
  });
  // HTTP traffic spread over the session until the file reaches its size.
  let httpBytes = 0;
  const httpBudget = target - socketBytes - 200_000;
  let n = 0;
  // The token a page holds at a moment: re-signed every 50 s (lives 60 s), like the socket's.
  const windows = new Map<number, string>();
  const tokenAt = async (at: number) => {
    const w = Math.floor((at - t0) / 50_000);
    if (!windows.has(w)) windows.set(w, await sign(Math.floor((t0 + w * 50_000) / 1000)));
    return windows.get(w)!;
  };
  while (httpBytes < httpBudget) {
    const at = t0 + 100 + Math.floor(rand() * (socketEnd - t0));
    const kind = rand();
    n++;
    let json: string;
    if (kind < 0.3) json = entry({ t: at, url: `http://localhost:5173/assets/chunk-${n}.js`, status: 200, mime: "text/javascript", body: `export function f${n}(){return ${JSON.stringify(text(15_000 + Math.floor(rand() * 60_000)))}}`, type: "script" });
    else if (kind < 0.5) json = entry({ t: at, url: `https://cdn.example.com/img/${n}.png`, status: 200, mime: "image/png", body: b64(10_000 + Math.floor(rand() * 40_000)), encoding: "base64", type: "image" });
    else if (kind < 0.6) json = entry({ t: at, url: `http://localhost:5173/assets/style-${n}.css`, status: 200, mime: "text/css", body: `.c${n}{color:red}`.repeat(500), type: "stylesheet" });
    else if (kind < 0.85) json = entry({ t: at, method: "POST", url: `https://api.example.com/v1/events`, status: 200, mime: "application/json", body: JSON.stringify({ ok: true, items: Array.from({ length: 20 }, () => text(80)) }), type: "xhr" });
    else {
      // A few calls from a tab that slept: it sends the token of a window that ended over 60 s ago.
      const rejected = at - t0 > 200_000 && rand() < 0.02;
      const token = await tokenAt(rejected ? at - 120_000 : at);
      const url = `${DEPLOYMENT}/api/query`;
      const preflight = entry({ t: at - 2, method: "OPTIONS", url, status: 204, mime: "text/plain", type: "preflight" });
      entries.push({ t: at - 2, json: () => preflight });
      httpBytes += preflight.length;
      json = entry({
        t: at,
        method: "POST",
        url,
        headers: [{ name: "authorization", value: `Bearer ${token}` }, { name: "content-type", value: "application/json" }],
        status: rejected ? 401 : 200,
        mime: "application/json",
        body: rejected ? JSON.stringify({ code: "Unauthenticated", message: "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired." }) : JSON.stringify({ status: "success", value: [], logLines: [] }),
        type: "fetch",
      });
    }
    httpBytes += json.length;
    entries.push({ t: at, json: () => json });
  }
  entries.sort((a, b) => a.t - b.t);
  await write(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"startedDateTime":"${iso(t0)}","id":"page_1","title":"http://localhost:5173/","pageTimings":{"onContentLoad":300,"onLoad":600}}],"entries":[`);
  const frames = messages.length;
  for (const [i, e] of entries.entries()) await write((i ? "," : "") + (await e.json()));
  await write("]}}\n");
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
  return { bytes, entries: entries.length, frames };
}

/**
 * The reducer's worst case: one socket holding the whole file as ~450 000 small frames (a counter app
 * mutating every 20 ms for hours): every frame is a Convex event to decode.
 */
export async function writeSmallFramesHar(path: string, megabytes = 100): Promise<{ bytes: number; entries: number; frames: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = (s: string) => {
    bytes += Buffer.byteLength(s);
    return out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  };
  const t0 = Date.UTC(2026, 10, 30, 9);
  const v = (q: number, i: number, ts: number) => ({ querySet: q, identity: i, ts: Buffer.from(new BigUint64Array([BigInt(ts)]).buffer).toString("base64") });
  await write(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[{"startedDateTime":"${new Date(t0).toISOString()}","request":{"method":"GET","url":"${SYNC}","headers":[]},"response":{"status":101},"_resourceType":"websocket","_webSocketMessages":[`);
  await write(JSON.stringify({ type: "send", time: t0 / 1000, opcode: 1, data: JSON.stringify({ connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: t0, type: "Connect", sessionId: "s" }) }));
  let frames = 1;
  while (bytes < megabytes * 1024 * 1024) {
    const t = t0 + frames * 20;
    const m =
      frames % 2
        ? { type: "receive", time: t / 1000, opcode: 1, data: JSON.stringify({ type: "Transition", startVersion: v(0, 0, frames), endVersion: v(0, 0, frames + 1), modifications: [{ type: "QueryUpdated", queryId: 1, value: frames, logLines: [], journal: null }] }) }
        : { type: "send", time: t / 1000, opcode: 1, data: JSON.stringify({ type: "Mutation", requestId: frames, udfPath: "counter:inc", args: [{}] }) };
    await write("," + JSON.stringify(m));
    frames++;
  }
  await write("]}]}}\n");
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
  return { bytes, entries: 1, frames };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    console.error("usage: npx tsx test/bench/har-100mb.ts OUT.har [MEGABYTES] [busy|small-frames]");
    process.exit(2);
  }
  const r = await (process.argv[4] === "small-frames" ? writeSmallFramesHar : writeBusyHar)(path, Number(process.argv[3] ?? 100));
  console.log(`${path}: ${(r.bytes / 1024 / 1024).toFixed(1)} MiB, ${r.entries} entries, ${r.frames} WebSocket messages`);
}
