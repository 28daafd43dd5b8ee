/**
 * Benchmark: what the extension costs a page, as ratios measured in one run: the same Debian Chromium, once
 * with the built extension (dist/chrome: hook + relay + port to the background, all live) and once without,
 * the same server, rounds interleaved (bare, ext, bare, ext, …). Not a test: it prints figures to stdout.
 *   npx tsx test/bench/extension.bench.ts [rounds=7]      (npm run bench builds dist/chrome first)
 *   CAI_BENCH_EXT=dir       another build instead of dist/chrome
 *   CAI_BENCH_BASE=dir      also an earlier build, as a third mode in the same interleaved rounds
 *   CAI_BENCH_ONLY=plain    only the page loads without Convex (no Convex workloads, no latency)
 * Workloads drive the real `convex` client (test/bench/page/app.ts) against test/bench/page/server.ts:
 *   recv-1k   — the server bursts 2,000 Transitions of ~1 KB; until the subscription saw the last
 *   recv-500k — 40 Transitions of ~500 KB
 *   mutations — 2,000 mutations issued together; until all resolved
 *   send-loop — a raw sync socket sends 20,000 small frames in a tight loop
 *   plain     — 5 loads of a page without Convex
 * For each: wall (performance.now() in the page), the page renderer main thread's CPU time from Linux's
 * scheduler (page/thread-cpu.ts: time on a core, so it holds up on a loaded machine), and CDP
 * `Performance.getMetrics` TaskDuration and ScriptDuration deltas (wall time of that thread's tasks and
 * scripts: the page's scripts and the extension's hook and relay all run on that thread). Also: window `message` events the page observed, and (with the
 * extension) capture→background-port latency: Transitions paced 20 ms apart, timed from the hook's event
 * time to its arrival at a panel port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type CDPSession, type Page } from "@playwright/test";
import { CHROMIUM, CHROMIUM_FLAGS } from "../e2e/support/chromium.ts";
import { startBenchServer } from "./page/server.ts";
import { browserPid, cpuBetween, pageRendererCpu } from "./page/thread-cpu.ts";

/** The built extension (CAI_BENCH_EXT: another build, e.g. a copy of a baseline to compare). */
const EXT = process.env.CAI_BENCH_EXT ?? resolve(import.meta.dirname, "..", "..", "dist", "chrome");
const BASE = process.env.CAI_BENCH_BASE;
const ROUNDS = Number(process.argv[2] ?? 7);
const PLAIN_ONLY = process.env.CAI_BENCH_ONLY === "plain";
const LATENCY_EVENTS = 150;

type Mode = "bare" | "ext" | "base";
type Figures = Record<string, { wall: number; cpu: number; task: number; script: number }>;
/** The browser process of each launched context (for its renderers' thread CPU). */
const browserOf = new WeakMap<BrowserContext, number>();
const browserOfSession = new WeakMap<CDPSession, number>();

async function launch(withExtension: boolean, ext = EXT): Promise<{ context: BrowserContext; dir: string; id: string | null }> {
  const dir = mkdtempSync(join(tmpdir(), "cai-bench-"));
  const args = withExtension ? [...CHROMIUM_FLAGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`] : CHROMIUM_FLAGS;
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args });
  browserOf.set(context, browserPid(dir));
  let id: string | null = null;
  if (withExtension) {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    id = new URL(sw.url()).host;
  }
  return { context, dir, id };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

/** A CDP session on the page with the Performance domain on (its counters run from `enable`). */
async function metricsOf(page: Page): Promise<CDPSession> {
  const s = await page.context().newCDPSession(page);
  browserOfSession.set(s, browserOf.get(page.context())!);
  await s.send("Performance.enable");
  return s;
}

/** CDP metrics of the page's renderer main thread, in ms. */
async function cpu(s: CDPSession): Promise<{ task: number; script: number }> {
  const { metrics } = await s.send("Performance.getMetrics");
  const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: get("TaskDuration"), script: get("ScriptDuration") };
}

async function measure(s: CDPSession, name: string, out: Figures, run: () => Promise<number>): Promise<void> {
  const browser = browserOfSession.get(s)!;
  const a = await cpu(s);
  const ta = pageRendererCpu(browser);
  const wall = await run();
  const tb = pageRendererCpu(browser);
  const b = await cpu(s);
  out[name] = { wall, cpu: cpuBetween(ta, tb), task: b.task - a.task, script: b.script - a.script };
}

type BenchApi = {
  setup(url: string): Promise<void>;
  recv(n: number, size: number): Promise<number>;
  mutations(n: number): Promise<number>;
  sendLoop(url: string, n: number): Promise<number>;
  close(): Promise<void>;
};
const call = <K extends keyof BenchApi>(page: Page, k: K, ...args: Parameters<BenchApi[K]>) =>
  page.evaluate(([k, args]) => ((window as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench[k]!(...args)), [k, args] as const) as ReturnType<BenchApi[K]>;

async function round(context: BrowserContext, origin: string): Promise<{ figures: Figures; messages: number }> {
  const figures: Figures = {};
  const messages = PLAIN_ONLY ? 0 : await convexWorkloads(context, origin, figures);
  return plainLoads(context, origin, figures, messages);
}

/** The workloads driving the real `convex` client; returns the window messages the page observed. */
async function convexWorkloads(context: BrowserContext, origin: string, figures: Figures): Promise<number> {
  const page = await context.newPage();
  await page.goto(`${origin}/app`);
  await call(page, "setup", origin);
  await call(page, "recv", 200, 1000); // warm-up: JIT and the client's first paths, in both modes alike
  const s = await metricsOf(page);
  await measure(s, "recv-1k", figures, () => call(page, "recv", 2000, 1000));
  await measure(s, "recv-500k", figures, () => call(page, "recv", 40, 500_000));
  await measure(s, "mutations", figures, () => call(page, "mutations", 2000));
  await measure(s, "send-loop", figures, () => call(page, "sendLoop", origin, 20_000));
  const messages = (await page.evaluate(() => (window as unknown as { __windowMessages: number }).__windowMessages)) as number;
  await call(page, "close");
  await page.close();
  return messages;
}

async function plainLoads(context: BrowserContext, origin: string, figures: Figures, messages: number): Promise<{ figures: Figures; messages: number }> {
  // Pages without Convex: the same tab, same origin (one renderer), five loads timed by CDP and the page.
  const plain = await context.newPage();
  await plain.goto(`${origin}/plain?warm`);
  const ps = await metricsOf(plain);
  let wall = 0;
  let plainMessages = 0;
  await measure(ps, "plain", figures, async () => {
    for (let i = 0; i < 5; i++) {
      await plain.goto(`${origin}/plain?${i}`);
      wall += (await plain.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd)) as number;
      plainMessages += (await plain.evaluate(() => (window as unknown as { __windowMessages: number }).__windowMessages)) as number;
    }
    return wall;
  });
  await plain.close();
  return { figures, messages: messages + plainMessages };
}

/** With the extension: hook event time → arrival at a panel port (an extension page connected like the panel). */
async function latency(context: BrowserContext, id: string, origin: string): Promise<number[]> {
  const page = await context.newPage();
  await page.goto(`${origin}/app`);
  await call(page, "setup", origin);
  const sw = context.serviceWorkers()[0]!;
  let tabId: number | undefined;
  for (let i = 0; i < 50 && tabId === undefined; i++, await page.waitForTimeout(100)) {
    const stats = (await sw.evaluate(() => (globalThis as unknown as { __caiBackground: { stats(): { tabId: number; topUrl: string | null; size: number }[] } }).__caiBackground.stats())) as { tabId: number; topUrl: string | null; size: number }[];
    // The newest tab on the app page (earlier rounds' tabs are closed).
    tabId = stats.filter((s) => s.topUrl?.startsWith(`${origin}/app`)).at(-1)?.tabId;
  }
  if (tabId === undefined) throw new Error("the background never heard of the latency page");
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${id}/src/extension/devtools.html`);
  await panel.evaluate((tabId) => {
    const w = window as unknown as { lat: number[] };
    w.lat = [];
    const port = chrome.runtime.connect({ name: `cai-panel:${tabId}` });
    port.onMessage.addListener((m: { type: string; events?: { ev: { k: string; t: number } }[] }) => {
      const at = Date.now();
      if (m.type === "events") for (const e of m.events ?? []) if (e.ev.k === "ws-recv") w.lat.push(at - e.ev.t);
    });
    port.postMessage({ type: "hello", after: 1e15 });
  }, tabId);
  await page.evaluate((n) => (window as unknown as { bench: { paced(n: number, gap: number): Promise<void> } }).bench.paced(n, 20), LATENCY_EVENTS);
  await page.waitForTimeout(500);
  const lat = (await panel.evaluate(() => (window as unknown as { lat: number[] }).lat)) as number[];
  await page.close();
  await panel.close();
  return lat;
}

/** Per-round paired ratios (each with-round against the without-round next to it in time), then their median. */
const pairedRatio = (bare: number[], ext: number[]): number => median(ext.map((y, r) => y / bare[r]!));

async function main(): Promise<void> {
  const server = await startBenchServer();
  const browsers: Partial<Record<Mode, { context: BrowserContext; dir: string; id: string | null }>> = {
    bare: await launch(false),
    ext: await launch(true, EXT),
  };
  // CAI_BENCH_BASE: an earlier build run as a third mode in the same rounds (a before/after in one run).
  if (BASE) browsers.base = await launch(true, BASE);
  const modes = Object.keys(browsers) as Mode[];
  const samples = Object.fromEntries(modes.map((m) => [m, {}])) as Record<Mode, Record<string, { wall: number[]; cpu: number[]; task: number[]; script: number[] }>>;
  const messages = Object.fromEntries(modes.map((m) => [m, []])) as unknown as Record<Mode, number[]>;
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order so no mode always runs first (or right after another one).
      for (let j = 0; j < modes.length; j++) {
        const mode = modes[(j + r) % modes.length]!;
        const { figures, messages: m } = await round(browsers[mode]!.context, server.origin);
        messages[mode].push(m);
        for (const [k, f] of Object.entries(figures)) {
          const s = (samples[mode][k] ??= { wall: [], cpu: [], task: [], script: [] });
          s.wall.push(f.wall);
          s.cpu.push(f.cpu);
          s.task.push(f.task);
          s.script.push(f.script);
        }
      }
    }
    const lat = PLAIN_ONLY ? [] : await latency(browsers.ext!.context, browsers.ext!.id!, server.origin);
    console.log(`page cost vs no extension: medians of ${ROUNDS} interleaved rounds (ms); ratio = median of per-round with/without ratios`);
    console.log(`  ext = ${EXT}${BASE ? `\n  base = ${BASE}` : ""}`);
    console.log("workload   mode  wall w/o  wall with  ratio | thread CPU w/o  with  ratio | task w/o  task with  ratio | script w/o  script with");
    const f = (x: number) => x.toFixed(1).padStart(9);
    for (const k of Object.keys(samples.bare)) {
      const a = samples.bare[k]!;
      for (const mode of modes.filter((m) => m !== "bare")) {
        const b = samples[mode][k]!;
        const row = (x: number[], y: number[]) => `${f(median(x))} ${f(median(y))} ${pairedRatio(x, y).toFixed(3).padStart(6)}`;
        console.log(`${k.padEnd(10)} ${mode.padEnd(4)} ${row(a.wall, b.wall)} | ${row(a.cpu, b.cpu)} | ${row(a.task, b.task)} | ${f(median(a.script))} ${f(median(b.script))}`);
      }
    }
    console.log(`window message events the page observed per round: ${modes.map((m) => `${m} ${messages[m].join(",")}`).join("; ")}`);
    if (!PLAIN_ONLY) console.log(`capture→panel port latency of ${lat.length} ws-recv events (${LATENCY_EVENTS} paced bursts of a MutationResponse + a Transition): p50 ${pct(lat, 0.5)} ms, p95 ${pct(lat, 0.95)} ms, max ${Math.max(...lat)} ms`);
  } finally {
    for (const b of Object.values(browsers)) {
      await b.context.close();
      rmSync(b.dir, { recursive: true, force: true });
    }
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
