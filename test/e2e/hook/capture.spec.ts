/**
 * What the hook records, in real Chromium: every event kind of a sync socket, large and binary frames, Convex
 * HTTP calls by fetch and XHR (and what it leaves alone), batching, iframes and its queue bound.
 */
import { expect, test, type Browser } from "@playwright/test";
import { CHANNEL_EVENT, FRAME_HEAD, FRAME_TAIL, HOOK_SOURCE, type HookEvent } from "../../../src/core/capture/events.ts";
import { launch, openPage, type HookPage } from "./support/browser.ts";
import { BIG_FRAME_SIZE, bigFrame, LARGE_ERROR_BODY, NO_AUTH_PROVIDER_BODY, startServer, type TestServer } from "./support/server.ts";

let browser: Browser;
let server: TestServer;
let hp: HookPage;

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startServer()]);
});
test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});
test.beforeEach(async () => {
  hp = await openPage(browser, { hook: true });
});
test.afterEach(async () => {
  await hp.context.close();
});

/** Serve a page whose head runs `script` (after the hook, as a page's first script would). */
async function run(path: string, script: string, body = ""): Promise<void> {
  server.page(path, `<!doctype html><html><head><script>${script}</script></head><body>${body}</body></html>`);
  await hp.page.goto(server.origin + path);
}

const wsOf = (events: HookEvent[], id: number) => events.filter((e) => "ws" in e && e.ws === id);

test("records a sync socket's whole life and nothing of a non-sync socket", async () => {
  const { origin, port } = server;
  await run(
    "/life",
    `window.out = { recv: [] };
    const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    ws.onopen = () => { ws.send('{"type":"Connect"}'); ws.send(new Uint8Array([1, 2, 3, 4, 5])); ws.send("close"); };
    ws.onmessage = (e) => out.recv.push(typeof e.data === "string" ? e.data : "binary");
    ws.onclose = (e) => { out.closed = [e.code, e.reason, e.wasClean]; };
    const other = new WebSocket("ws://127.0.0.1:${port}/other");
    other.onopen = () => other.send("not convex");
    other.onmessage = (e) => { out.other = e.data; other.close(); };`,
  );
  await expect.poll(() => hp.captured.of("ws-close").length).toBe(1);
  await expect.poll(() => hp.page.evaluate(() => (window as unknown as { out: { other?: string } }).out.other)).toBe("not convex");
  const events = hp.captured.events();
  expect(events[0]).toMatchObject({ k: "installed", url: `${origin}/life`, top: true });
  expect(hp.captured.of("ws-new")).toEqual([{ k: "ws-new", t: expect.any(Number), ws: 1, url: `ws://127.0.0.1:${port}/api/1.48.0/sync` }]);
  const life = wsOf(events, 1).map((e) => {
    const { t, ...rest } = e as HookEvent & { t: number };
    expect(t).toBeGreaterThan(1.6e12);
    return rest;
  });
  expect(life).toEqual([
    { k: "ws-new", ws: 1, url: `ws://127.0.0.1:${port}/api/1.48.0/sync` },
    { k: "ws-open", ws: 1 },
    { k: "ws-send", ws: 1, frame: { text: '{"type":"Connect"}', size: 18 } },
    { k: "ws-send", ws: 1, frame: { text: "", size: 5, binary: true } },
    { k: "ws-send", ws: 1, frame: { text: "close", size: 5 } },
    { k: "ws-recv", ws: 1, frame: { text: '{"echo":"{\\"type\\":\\"Connect\\"}"}', size: 33 } },
    { k: "ws-recv", ws: 1, frame: { text: "", size: 3, binary: true } },
    { k: "ws-close", ws: 1, code: 4001, reason: "bye", wasClean: true },
  ]);
  // The page saw the same, and the non-sync socket worked but left no trace.
  const out = await hp.page.evaluate(() => (window as unknown as { out: unknown }).out);
  expect(out).toEqual({ recv: ['{"echo":"{\\"type\\":\\"Connect\\"}"}', "binary"], closed: [4001, "bye", true], other: "not convex" });
  expect(server.sockets.find((s) => s.path === "/other")?.frames.map((f) => f.text)).toEqual(["not convex"]);
  expect(events.some((e) => "url" in e && e.url.includes("/other"))).toBe(false);
  expect(events.filter((e) => e.k === "ws-send" || e.k === "ws-recv")).toHaveLength(5);
});

test("matches /api/sync, relative and http(s) URLs; records ws-error on a failed handshake", async () => {
  const { port } = server;
  await run(
    "/urls",
    `const a = new WebSocket("/api/sync");
    const b = new WebSocket("http://127.0.0.1:${port}/api/1.2.3-alpha.1/sync");
    const c = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync?fail=1");
    const d = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync/extra");
    const e = new WebSocket("ws://127.0.0.1:${port}/api/v1/sync");`,
  );
  await expect.poll(() => hp.captured.of("ws-close").length).toBe(1);
  await expect.poll(() => hp.captured.of("ws-open").length).toBe(2);
  expect(hp.captured.of("ws-new").map((e) => [e.ws, e.url])).toEqual([
    [1, `ws://127.0.0.1:${port}/api/sync`],
    [2, `ws://127.0.0.1:${port}/api/1.2.3-alpha.1/sync`],
    [3, `ws://127.0.0.1:${port}/api/1.48.0/sync?fail=1`],
  ]);
  expect(hp.captured.of("ws-error").map((e) => e.ws)).toEqual([3]);
  expect(hp.captured.of("ws-close")).toEqual([{ k: "ws-close", t: expect.any(Number), ws: 3, code: 1006, reason: "", wasClean: false }]);
  const errorAt = hp.captured.events().findIndex((e) => e.k === "ws-error");
  expect(hp.captured.events()[errorAt + 1]?.k).toBe("ws-close");
});

test("a 5 MB server frame is recorded as head and tail with its size; the page gets it whole", async () => {
  const { port } = server;
  await run(
    "/big",
    `const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    ws.onopen = () => { ws.send("big"); ws.send("z".repeat(100000)); };
    ws.onmessage = (e) => { (window.got ??= []).push(e.data.length); };`,
  );
  await expect.poll(() => hp.captured.of("ws-recv").length, { timeout: 20_000 }).toBe(2);
  const big = bigFrame();
  const [first, second] = hp.captured.of("ws-recv");
  expect(first?.frame).toEqual({ head: big.slice(0, FRAME_HEAD), tail: big.slice(-FRAME_TAIL), size: BIG_FRAME_SIZE });
  expect(second?.frame).toMatchObject({ size: 100_000 + '{"echo":""}'.length });
  expect(hp.captured.of("ws-send").map((e) => e.frame)).toEqual([
    { text: "big", size: 3 },
    { head: "z".repeat(FRAME_HEAD), tail: "z".repeat(FRAME_TAIL), size: 100_000 },
  ]);
  expect(await hp.page.evaluate(() => (window as unknown as { got: number[] }).got)).toEqual([BIG_FRAME_SIZE, 100_011]);
});

type FetchResult = { name: string; status?: number; text?: string; error?: string; bodyUsedBefore?: boolean };

test("records Convex fetch calls with their Authorization, status and bounded error body", async () => {
  const { origin, port } = server;
  const cloud = `http://happy-animal-123.convex.cloud:${port}`;
  const site = `http://happy-animal-123.convex.site:${port}`;
  await run(
    "/fetch",
    `window.results = (async () => {
      const out = [];
      const go = async (name, input, init) => {
        try {
          const res = await fetch(input, init);
          const bodyUsedBefore = res.bodyUsed;
          out.push({ name, status: res.status, text: await res.text(), bodyUsedBefore });
        } catch (e) { out.push({ name, error: e.name }); }
      };
      const body = '{"path":"messages:list","format":"convex_encoded_json","args":[{}]}';
      await go("record", "${origin}/api/query", { method: "POST", headers: { "Convex-Client": "npm-1.48.0", Authorization: "Bearer A" }, body });
      await go("headers", "${origin}/api/mutation", { method: "post", headers: new Headers({ "convex-client": "npm-1.48.0", authorization: "Bearer B" }), body });
      await go("pairs", new URL("${origin}/api/action"), { method: "POST", headers: [["Convex-Client", "npm-1.48.0"], ["Authorization", "Bearer C"]], body });
      await go("request", new Request("${origin}/api/run/messages/list", { method: "POST", headers: { "Convex-Client": "npm", Authorization: "Bearer D" }, body: "{}" }));
      await go("relative", "/api/query", { headers: { "Convex-Client": "npm-1.48.0" } });
      await go("no-client-header", "${origin}/api/query", { headers: { Authorization: "Bearer X" } });
      await go("not-api", "${origin}/plain", { headers: { "Convex-Client": "npm-1.48.0" } });
      await go("other-api", "${origin}/api/users", { headers: { "Convex-Client": "npm-1.48.0" } });
      await go("cloud", "${cloud}/api/mutation", { method: "POST", headers: { Authorization: "Bearer E" }, body });
      await go("site", "${site}/hello");
      await go("network-error", "http://127.0.0.1:9/api/query", { headers: { "Convex-Client": "npm-1.48.0" } });
      return out;
    })();`,
  );
  const results = (await hp.page.evaluate(() => (window as unknown as { results: Promise<FetchResult[]> }).results)) as FetchResult[];
  await expect.poll(() => hp.captured.of("http").length).toBe(8);
  // The page still reads every body in full, untouched by the hook's clone.
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  expect(byName.record).toEqual({ name: "record", status: 401, text: NO_AUTH_PROVIDER_BODY, bodyUsedBefore: false });
  expect(byName.pairs).toEqual({ name: "pairs", status: 500, text: LARGE_ERROR_BODY, bodyUsedBefore: false });
  expect(byName["network-error"]).toEqual({ name: "network-error", error: "TypeError" });

  const http = hp.captured.of("http").sort((a, b) => a.req - b.req).map(({ t, ...rest }) => rest);
  expect(http).toEqual([
    { k: "http", req: 1, via: "fetch", method: "POST", url: `${origin}/api/query`, authorization: "Bearer A", status: 401, errorBody: NO_AUTH_PROVIDER_BODY },
    { k: "http", req: 2, via: "fetch", method: "POST", url: `${origin}/api/mutation`, authorization: "Bearer B", status: 200 },
    { k: "http", req: 3, via: "fetch", method: "POST", url: `${origin}/api/action`, authorization: "Bearer C", status: 500, errorBody: LARGE_ERROR_BODY.slice(0, 4096) },
    { k: "http", req: 4, via: "fetch", method: "POST", url: `${origin}/api/run/messages/list`, authorization: "Bearer D", status: 200 },
    { k: "http", req: 5, via: "fetch", method: "GET", url: `${origin}/api/query`, authorization: null, status: 401, errorBody: NO_AUTH_PROVIDER_BODY },
    { k: "http", req: 6, via: "fetch", method: "POST", url: `${cloud}/api/mutation`, authorization: "Bearer E", status: 200 },
    { k: "http", req: 7, via: "fetch", method: "GET", url: `${site}/hello`, authorization: null, status: 200 },
    { k: "http", req: 8, via: "fetch", method: "GET", url: "http://127.0.0.1:9/api/query", authorization: null, status: 0 },
  ]);
  // The server really got the ignored calls: they were left alone, not blocked.
  const paths = server.requests.map((r) => r.path);
  for (const p of ["/plain", "/api/users"]) expect(paths).toContain(p);
});

test("an error body the page never reads is still recorded (the clone does not wait for the page)", async () => {
  const { origin } = server;
  await run(
    "/unread",
    `window.st = fetch("${origin}/api/action", { method: "POST", headers: { "Convex-Client": "npm-1.48.0" }, body: "{}" }).then((r) => r.status);`,
  );
  expect(await hp.page.evaluate(() => (window as unknown as { st: Promise<number> }).st)).toBe(500);
  await expect.poll(() => hp.captured.of("http").map((e) => [e.status, e.errorBody?.length])).toEqual([[500, 4096]]);
});

test("an error body that stalls is recorded with what arrived, after a bounded wait", async () => {
  const { origin } = server;
  await run("/stall", `window.st = fetch("${origin}/api/query_ts", { method: "POST", headers: { "Convex-Client": "npm-1.48.0" } }).then((r) => r.status);`);
  expect(await hp.page.evaluate(() => (window as unknown as { st: Promise<number> }).st)).toBe(503);
  await expect.poll(() => hp.captured.of("http").map((e) => [e.status, e.errorBody]), { timeout: 10_000 }).toEqual([[503, '{"code":"Overloaded"']]);
});

test("after a sync socket to an origin, its /api calls are recorded without a Convex-Client header", async () => {
  const { origin, port } = server;
  await run(
    "/origin",
    `window.done = (async () => {
      await fetch("${origin}/api/mutation", { method: "POST", body: "{}" });
      const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
      await new Promise((r) => (ws.onopen = r));
      await fetch("${origin}/api/mutation", { method: "POST", body: "{}" });
      await fetch("${origin}/plain");
      return true;
    })();`,
  );
  await hp.page.evaluate(() => (window as unknown as { done: Promise<boolean> }).done);
  await expect.poll(() => hp.captured.of("http").length).toBe(1);
  await hp.page.waitForTimeout(150);
  expect(hp.captured.of("http").map((e) => [e.req, e.url, e.status])).toEqual([[1, `${origin}/api/mutation`, 200]]);
});

test("records Convex XHR calls, with responseText for errors only when it is text", async () => {
  const { origin } = server;
  const before = server.requests.length;
  await run(
    "/xhr",
    `const call = (method, url, headers, type) => new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open(method, url);
      if (type) x.responseType = type;
      for (const [k, v] of headers) x.setRequestHeader(k, v);
      x.onloadend = () => resolve({ status: x.status, body: type === "json" ? x.response : x.responseText });
      x.send("{}");
    });
    window.results = (async () => [
      await call("POST", "${origin}/api/query", [["Convex-Client", "npm-1.48.0"], ["Authorization", "Bearer X1"]]),
      await call("post", "/api/query", [["convex-client", "npm-1.48.0"]], "json"),
      await call("POST", "${origin}/api/mutation", [["Convex-Client", "npm"], ["Authorization", "Bearer a"], ["Authorization", "Bearer b"]]),
      await call("POST", "${origin}/api/mutation", [["Authorization", "Bearer no-client"]]),
      await call("GET", "${origin}/plain", [["Convex-Client", "npm"]]),
    ])();`,
  );
  const results = await hp.page.evaluate(() => (window as unknown as { results: Promise<unknown[]> }).results);
  expect(results[0]).toEqual({ status: 401, body: NO_AUTH_PROVIDER_BODY });
  expect(results[1]).toEqual({ status: 401, body: JSON.parse(NO_AUTH_PROVIDER_BODY) });
  await expect.poll(() => hp.captured.of("http").length).toBe(3);
  await hp.page.waitForTimeout(150);
  expect(hp.captured.of("http").map(({ t, ...rest }) => rest)).toEqual([
    { k: "http", req: 1, via: "xhr", method: "POST", url: `${origin}/api/query`, authorization: "Bearer X1", status: 401, errorBody: NO_AUTH_PROVIDER_BODY },
    { k: "http", req: 2, via: "xhr", method: "POST", url: `${origin}/api/query`, authorization: null, status: 401 },
    { k: "http", req: 3, via: "xhr", method: "POST", url: `${origin}/api/mutation`, authorization: "Bearer a, Bearer b", status: 200 },
  ]);
  expect(server.requests.slice(before).filter((r) => r.path === "/api/mutation").map((r) => r.authorization)).toEqual(["Bearer a, Bearer b", "Bearer no-client"]);
});

test("batches carry the source tag, one doc id per document and consecutive seq; iframes report top:false", async () => {
  const { origin, port } = server;
  server.page("/child", `<!doctype html><script>new WebSocket("ws://127.0.0.1:${port}/api/sync")</script>`);
  await run("/parent", `new WebSocket("ws://127.0.0.1:${port}/api/sync");`, `<iframe src="/child"></iframe>`);
  await expect.poll(() => hp.captured.of("installed").length).toBe(2);
  await expect.poll(() => hp.captured.of("ws-new").length).toBe(2);
  const docs = [...new Set(hp.captured.batches.map((b) => b.doc))];
  expect(docs).toHaveLength(2);
  for (const doc of docs) {
    expect(doc).toMatch(/^[0-9a-f]{32}$/);
    const mine = hp.captured.batches.filter((b) => b.doc === doc);
    expect(mine.map((b) => b.seq)).toEqual(mine.map((_, i) => i));
    expect(mine.every((b) => b.source === HOOK_SOURCE)).toBe(true);
    expect(mine[0]?.events[0]?.k).toBe("installed");
  }
  const installed = hp.captured.of("installed").map((e) => [e.url, e.top]);
  expect(installed).toEqual(expect.arrayContaining([[`${origin}/parent`, true], [`${origin}/child`, false]]));
  // A reload is a new document: a new doc id, seq from 0 again.
  await hp.page.reload();
  await expect.poll(() => new Set(hp.captured.batches.map((b) => b.doc)).size).toBe(4);
});

test("flushes at pagehide instead of waiting for the timer", async () => {
  const { port } = server;
  await run(
    "/pagehide",
    `const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    ws.onopen = () => { ws.send("before"); dispatchEvent(new PageTransitionEvent("pagehide")); ws.send("after"); };`,
  );
  await expect.poll(() => hp.captured.of("ws-send").length).toBe(2);
  const batchOf = (text: string) =>
    hp.captured.batches.findIndex((b) => b.events.some((e) => e.k === "ws-send" && "text" in e.frame && e.frame.text === text));
  expect(batchOf("after")).toBe(batchOf("before") + 1);
});

test("past 5,000 pending events the hook counts what it drops and reports it", async () => {
  const { port } = server;
  await run(
    "/flood",
    `window.recv = 0;
    const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    ws.onmessage = () => { window.recv++; };
    ws.onopen = () => { for (let i = 0; i < 6000; i++) ws.send("m" + i); };`,
  );
  await expect.poll(() => hp.page.evaluate(() => (window as unknown as { recv: number }).recv), { timeout: 20_000 }).toBe(6000);
  expect(server.sockets.at(-1)?.frames.length).toBe(6000);
  // Every one of the 12,000 frames is either recorded or counted in a `dropped` event: no silent loss.
  const total = () => {
    const dropped = hp.captured.of("dropped").reduce((n, e) => n + e.count, 0);
    return hp.captured.of("ws-send").length + hp.captured.of("ws-recv").length + dropped;
  };
  await expect.poll(total).toBe(12_000);
  const drops = hp.captured.of("dropped");
  expect(drops.length).toBeGreaterThan(0);
  // The burst filled the queue: what was kept is its start, in order, and no batch exceeds the bound (+ marker).
  const sends = hp.captured.of("ws-send").map((e) => ("text" in e.frame ? e.frame.text : ""));
  expect(sends.length).toBeLessThan(6000);
  expect(sends).toEqual(sends.map((_, i) => "m" + i));
  expect(Math.max(...hp.captured.batches.map((b) => b.events.length))).toBeLessThanOrEqual(5001);
  const seqs = hp.captured.batches.map((b) => b.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i));
});

test("a page without Convex traffic gets nothing posted, not even `installed`; it comes just before the first Convex event", async () => {
  const { port } = server;
  await run(
    "/quiet",
    `window.later = () => new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    new WebSocket("ws://127.0.0.1:${port}/echo"); fetch("/quiet-data").catch(() => {});`,
  );
  await hp.page.waitForTimeout(400); // many times the 50 ms batch timer
  expect(hp.captured.batches).toEqual([]);
  const t0 = Date.now();
  await hp.page.evaluate(() => void (window as unknown as { later: () => void }).later());
  await expect.poll(() => hp.captured.events().map((e) => e.k).slice(0, 2)).toEqual(["installed", "ws-new"]);
  // The notice keeps its install time and URL (the document's start), not the moment it was sent.
  const installed = hp.captured.of("installed")[0]!;
  expect(installed.t).toBeLessThan(t0);
  expect(installed.url).toBe(`${server.origin}/quiet`);
});

test("the hook takes only the first channel offer: a page's later offer is not taken and receives nothing", async () => {
  const { port } = server;
  await run(
    "/second-offer",
    `const ch = new MessageChannel();
    window.got = 0;
    ch.port1.onmessage = () => { window.got++; };
    window.taken = !document.fonts.dispatchEvent(new MessageEvent(${JSON.stringify(CHANNEL_EVENT)}, { ports: [ch.port2], cancelable: true }));
    const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    ws.onopen = () => ws.send("x");`,
  );
  await expect.poll(() => hp.captured.of("ws-send").length).toBe(1);
  await hp.page.waitForTimeout(200);
  expect(await hp.page.evaluate(() => ({ taken: (window as any).taken, got: (window as any).got }))).toEqual({ taken: false, got: 0 });
});

test("batches cross the channel as records, and a toJSON the page gave Object.prototype is never called", async () => {
  const { port } = server;
  await run(
    "/to-json",
    `window.calls = 0;
    const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
    ws.onopen = () => {
      ws.send('{"type":"Connect","n":1}');
      // After the first batch, the page defines a toJSON that JSON.stringify (but no structured clone) would call.
      setTimeout(() => {
        Object.defineProperty(Object.prototype, "toJSON", { configurable: true, value() { window.calls++; return { forged: true }; } });
        ws.send('{"type":"Connect","n":2}');
      }, 300);
    };`,
  );
  await expect.poll(() => hp.captured.of("ws-send").length).toBe(2);
  expect(hp.captured.of("ws-send").map((e) => ("text" in e.frame ? e.frame.text : ""))).toEqual(['{"type":"Connect","n":1}', '{"type":"Connect","n":2}']);
  expect(new Set(hp.captured.batches.map((b) => b.form))).toEqual(new Set(["records"]));
  expect(await hp.page.evaluate(() => (window as unknown as { calls: number }).calls)).toBe(0);
});
