/**
 * The hook is invisible to the page: the same probe, page script and traffic, run in real Chromium with and
 * without the hook, give identical results (the page's view of the APIs, the frames the page receives, the
 * frames the server receives, the response bodies the page reads), while the hook did record the traffic.
 */
import { expect, test, type Browser } from "@playwright/test";
import { launch, openPage, type HookPage } from "./support/browser.ts";
import { probe, type ProbeArgs } from "./support/probe.ts";
import { startServer, type ServerFrame, type TestServer } from "./support/server.ts";

let browser: Browser;
let server: TestServer;
const pages: HookPage[] = [];

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startServer()]);
});
test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});
test.afterEach(async () => {
  for (const p of pages.splice(0)) await p.context.close();
});

async function open(hook: boolean, path: string, script = ""): Promise<HookPage> {
  const hp = await openPage(browser, { hook });
  pages.push(hp);
  server.page(path, `<!doctype html><html><head><script>${script}</script></head><body></body></html>`);
  await hp.page.goto(server.origin + path);
  return hp;
}

test("the page sees the same WebSocket, fetch and XMLHttpRequest with and without the hook", async () => {
  const args: ProbeArgs = { syncUrl: `ws://127.0.0.1:${server.port}/api/1.48.0/sync`, apiUrl: `${server.origin}/api/query` };
  const bare = await open(false, "/probe");
  const hooked = await open(true, "/probe");
  const without = await bare.page.evaluate(probe, args);
  const withHook = await hooked.page.evaluate(probe, args);
  // Sanity: the probe reads real values (a broken probe comparing two empty objects would prove nothing).
  expect(without.wsToString).toBe("function WebSocket() { [native code] }");
  expect(without.fetch).toEqual(["function fetch() { [native code] }", "function fetch() { [native code] }", "fetch", 1, "function"]);
  expect((without.errInvalidUrl as { name: string }).name).toBe("SyntaxError");
  for (const key of Object.keys(without)) expect.soft(withHook[key], key).toEqual(without[key]);
  expect(Object.keys(withHook).sort()).toEqual(Object.keys(without).sort());
  // The hook was there: it recorded the probe's sync sockets (and only the probe's own globals differ by nothing).
  await expect.poll(() => hooked.captured.of("ws-new").length).toBeGreaterThanOrEqual(3);
  expect(bare.captured.events()).toEqual([]);
});

test("the only trace on window is one non-enumerable Symbol.for key", async () => {
  const read = () => ({
    symbols: Object.getOwnPropertySymbols(window).map(String),
    desc: Object.getOwnPropertyDescriptor(window, Symbol.for("convex-auth-inspector.hook")) ?? null,
  });
  const without = await (await open(false, "/symbols")).page.evaluate(read);
  const withHook = await (await open(true, "/symbols")).page.evaluate(read);
  expect(without.desc).toBeNull();
  expect(withHook.desc).toEqual({ value: true, writable: false, enumerable: false, configurable: false });
  expect(withHook.symbols.filter((s) => !without.symbols.includes(s))).toEqual(["Symbol(convex-auth-inspector.hook)"]);
});

/** A page exchanging varied frames with the sync server; it logs what it receives (type, size, checksum). */
const EXCHANGE = (port: number) => `
  window.got = [];
  const sum = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0; return h; };
  const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
  ws.binaryType = "arraybuffer";
  ws.onopen = () => {
    ws.send('{"connectionCount":0,"lastCloseReason":"InitialConnect","clientTs":1,"type":"Connect","sessionId":"s"}');
    ws.send("é✓😀 unicode");
    ws.send(new Uint8Array([9, 8, 7, 6]));
    ws.send("q".repeat(100000));
    ws.send(new Blob(["blob-bytes"]));
    ws.send(new Uint16Array([1, 2]).buffer);
    ws.send("script");
  };
  ws.onmessage = (e) => {
    const d = e.data;
    window.got.push(typeof d === "string" ? ["text", d.length, d.slice(0, 40), sum(d)] : ["binary", d.byteLength, Array.from(new Uint8Array(d))]);
    if (window.got.length === 12) ws.close(1000, "done");
  };
  ws.onclose = (e) => window.got.push(["close", e.code, e.reason, e.wasClean]);`;

test("page and server exchange the same frames, in the same order, with and without the hook", async () => {
  const runOnce = async (hook: boolean): Promise<{ page: unknown[]; server: ServerFrame[]; hp: HookPage }> => {
    const before = server.sockets.length;
    const hp = await open(hook, `/exchange-${hook}`, EXCHANGE(server.port));
    await expect.poll(() => hp.page.evaluate(() => (window as unknown as { got: unknown[] }).got.length), { timeout: 20_000 }).toBe(13);
    const page = await hp.page.evaluate(() => (window as unknown as { got: unknown[] }).got);
    const socket = server.sockets.slice(before).find((s) => s.path === "/api/1.48.0/sync");
    return { page, server: socket?.frames ?? [], hp };
  };
  const without = await runOnce(false);
  const withHook = await runOnce(true);
  expect(without.server).toHaveLength(7);
  expect(without.page).toHaveLength(13);
  expect(withHook.page).toEqual(without.page);
  expect(withHook.server).toEqual(without.server);
  // And the hook saw all of it: 7 sends, 12 receives, one clean close.
  await expect.poll(() => withHook.hp.captured.of("ws-close").length).toBe(1);
  expect(withHook.hp.captured.of("ws-send").map((e) => e.frame.size)).toEqual(without.server.map((f) => f.size));
  expect(withHook.hp.captured.of("ws-recv")).toHaveLength(12);
  expect(withHook.hp.captured.of("ws-close")[0]).toMatchObject({ code: 1000, reason: "done", wasClean: true });
});

test("the page reads the same response (status, headers, body, clone, stream) with and without the hook", async () => {
  const script = `window.read = (async () => {
    const out = [];
    for (const path of ["/api/query", "/api/action"]) {
      const res = await fetch("${server.origin}" + path, { method: "POST", headers: { "Convex-Client": "npm-1.48.0", Authorization: "Bearer T" }, body: "{}" });
      const copy = res.clone();
      const reader = res.body.getReader();
      let n = 0; for (;;) { const { done, value } = await reader.read(); if (done) break; n += value.length; }
      out.push([res.status, res.ok, res.type, res.headers.get("content-type"), res.bodyUsed, n, await copy.text()]);
    }
    const xhr = await new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open("POST", "${server.origin}/api/query");
      x.setRequestHeader("Convex-Client", "npm-1.48.0");
      const states = [];
      x.onreadystatechange = () => states.push(x.readyState);
      x.onloadend = () => resolve([x.status, x.responseText, x.getAllResponseHeaders().includes("application/json"), states]);
      x.send("{}");
    });
    out.push(xhr);
    return out;
  })();`;
  const results: unknown[] = [];
  for (const hook of [false, true]) {
    const hp = await open(hook, `/read-${hook}`, script);
    results.push(await hp.page.evaluate(() => (window as unknown as { read: Promise<unknown> }).read));
    if (hook) await expect.poll(() => hp.captured.of("http").length).toBe(3);
  }
  expect((results[0] as unknown[][])[0]?.[0]).toBe(401);
  expect(results[1]).toEqual(results[0]);
});

test("a page that patches built-ins after the hook neither sees the hook at work nor breaks it", async () => {
  const { port, origin } = server;
  const script = `
    window.spied = [];
    const spy = (name, proto, key) => {
      const orig = proto[key];
      proto[key] = function (...a) { window.spied.push(name); return Reflect.apply(orig, this, a); };
    };
    spy("addEventListener", EventTarget.prototype, "addEventListener");
    spy("then", Promise.prototype, "then");
    spy("exec", RegExp.prototype, "exec");
    spy("weakmap.get", WeakMap.prototype, "get");
    spy("clone", Response.prototype, "clone");
    spy("headers.get", Headers.prototype, "get");
    spy("postMessage", window, "postMessage");
    spy("setTimeout", window, "setTimeout");
    const realNow = Date.now; Date.now = () => { window.spied.push("Date.now"); return realNow(); };
    // Indexed setters on Array.prototype see every store past the end of an array that has it as prototype:
    // count the stores of this page's frame texts (its own got.push included, in both runs alike; not the
    // test's stand-in relay, see support/browser.ts).
    window.frameStores = 0;
    for (let i = 0; i < 256; i++) Object.defineProperty(Array.prototype, i, {
      configurable: true,
      get() { return undefined; },
      set(v) {
        if ((v === "one" || v === '{"echo":"one"}') && !window.__caiForwarding) window.frameStores++;
        Object.defineProperty(this, i, { value: v, writable: true, enumerable: true, configurable: true });
      },
    });
    window.done = (async () => {
      const ws = new WebSocket("ws://127.0.0.1:${port}/api/1.48.0/sync");
      window.got = [];
      let echoed;
      const echo = new Promise((r) => (echoed = r));
      ws.onmessage = (e) => { window.got.push(e.data); if (e.isTrusted) echoed(); };
      await new Promise((r) => (ws.onopen = r));
      ws.send("one");
      ws.dispatchEvent(new MessageEvent("message", { data: "forged by the page" }));
      await echo;
      const res = await fetch("${origin}/api/query", { headers: { "Convex-Client": "npm-1.48.0" } });
      window.got.push(res.status);
      await new Promise((r) => setTimeout(r, 120));
      ws.close();
      return true;
    })();`;
  const results: { spied: string[]; got: unknown[]; frameStores: number }[] = [];
  const recorded: string[][] = [];
  for (const hook of [false, true]) {
    const hp = await open(hook, `/patched-${hook}`, script);
    await hp.page.evaluate(() => (window as unknown as { done: Promise<boolean> }).done);
    results.push(
      await hp.page.evaluate(() => {
        const w = window as unknown as { spied: string[]; got: unknown[]; frameStores: number };
        return { spied: w.spied, got: w.got, frameStores: w.frameStores };
      }),
    );
    if (hook) {
      await expect.poll(() => hp.captured.of("ws-close").length).toBe(1);
      recorded.push(hp.captured.events().map((e) => e.k + ("frame" in e && "text" in e.frame ? `:${e.frame.text}` : "") + (e.k === "http" ? `:${e.status}` : "")));
    }
  }
  // Same calls into the patched built-ins (the hook used none of them), same data for the page.
  expect(results[1]).toEqual(results[0]);
  expect(results[0]?.got).toEqual(["forged by the page", '{"echo":"one"}', 401]);
  expect(results[0]?.frameStores).toBe(1); // the page's own got.push of the echo
  // Still recording, and a page-dispatched (untrusted) event is not mistaken for a server frame.
  expect(recorded[0]).toEqual(["installed", "ws-new", "ws-open", "ws-send:one", "ws-recv:{\"echo\":\"one\"}", "http:401", "ws-close"]);
});
