/**
 * Benchmark: the panel under sustained load (issue 9). Real Chromium with the built extension (dist/chrome),
 * the real `convex` client on test/bench/page (app.ts + server.ts), and the panel opened in a tab
 * (`panel.html?tabId=N`, the panel-in-a-tab mode: same bundle, same port to the background as inside DevTools).
 * Not a test: it prints figures to stdout.
 *   npx tsx test/bench/panel.bench.ts [seconds=60]     (npm run bench builds dist/chrome first)
 * 1. Sustained: 50,000 ~1 KB Transitions paced evenly over `seconds` (bursts of 1,000), then: the background
 *    numbers every event it gets (n = 1, 2, … per tab); the panel received = held + trimmed by its own bound
 *    (banner with the exact count). Silent loss = background's last n − panel received, which must be 0 (a
 *    `dropped` marker for events the panel never saw would count as one, so a loss would still show here).
 *    The background's own evictions (its buffer bound) are of events the panel already had: shown, not lost.
 *    The panel's main thread is watched for long tasks (PerformanceObserver) through both phases.
 * 2. Another 50,000 at full speed: the panel has received 100,000+ (it holds PANEL_MAX_EVENTS = 50,000 of
 *    them and shows a banner with the exact count let go).
 * 3. A long timeline: Transitions make no timeline rows, so a raw sync socket subscribes CAI_BENCH_ROWS
 *    (50,000) times, one row each. Then: search input → rendered result (to the next frame), rAF deltas while
 *    scrolling the timeline, JS heap of the panel page (CDP Runtime.getHeapUsage).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM, CHROMIUM_FLAGS } from "../e2e/support/chromium.ts";
import { startBenchServer } from "./page/server.ts";
import { panelCounts, scrollFrames, searchTimes } from "./panel/measure.ts";

const EXT = process.env.CAI_BENCH_EXT ?? resolve(import.meta.dirname, "..", "..", "dist", "chrome");
const SECONDS = Number(process.argv[2] ?? 60);
const SUSTAINED = 50_000;
const BURST = 1_000;
const ROWS = Number(process.env.CAI_BENCH_ROWS ?? 50_000);

type Stats = { tabId: number; size: number; lastN: number; dropped: number; topUrl: string | null };

const recv = (page: Page, n: number) =>
  page.evaluate((n) => (window as unknown as { bench: { recv(n: number, size: number): Promise<number> } }).bench.recv(n, 1000), n);

async function main(): Promise<void> {
  const server = await startBenchServer();
  const dir = mkdtempSync(join(tmpdir(), "cai-panel-bench-"));
  const args = [...CHROMIUM_FLAGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`];
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args });
  try {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    const id = new URL(sw.url()).host;
    const stats = async (): Promise<Stats> => {
      const all = (await sw.evaluate(() => (globalThis as unknown as { __caiBackground: { stats(): unknown } }).__caiBackground.stats())) as Stats[];
      const s = all.filter((x) => x.topUrl?.startsWith(`${server.origin}/app`)).at(-1);
      if (!s) throw new Error("the background never heard of the bench page");
      return s;
    };
    const page = await context.newPage();
    await page.goto(`${server.origin}/app`);
    await page.evaluate((o) => (window as unknown as { bench: { setup(u: string): Promise<void> } }).bench.setup(o), server.origin);
    let tab: Stats | null = null;
    for (let i = 0; i < 50 && !tab; i++) tab = await stats().catch(async () => (await page.waitForTimeout(100), null));
    if (!tab) throw new Error("no tab id for the bench page");
    const panel = await context.newPage();
    await panel.goto(`chrome-extension://${id}/src/panel/panel.html?tabId=${tab.tabId}`);
    await panel.waitForSelector('[data-testid="status-line"]');

    await panel.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; longAt: string[] };
      w.longTasks = [];
      w.longAt = [];
      const t0 = performance.now();
      new PerformanceObserver((l) =>
        l.getEntries().forEach((e) => {
          w.longTasks.push(e.duration);
          w.longAt.push(`${Math.round(e.duration)} ms at ${((e.startTime - t0) / 1000).toFixed(1)} s (${document.querySelector('[data-testid="status-line"]')?.textContent})`);
        }),
      ).observe({ type: "longtask" });
    });
    const longTasks = async () => {
      const ds = (await panel.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0))) as number[];
      if (process.env.CAI_BENCH_VERBOSE) console.log(await panel.evaluate(() => (window as unknown as { longAt: string[] }).longAt.splice(0).join("\n")));
      return `${ds.length} long tasks (> 50 ms) on the panel's thread, longest ${Math.round(Math.max(0, ...ds))} ms`;
    };
    // 1. Sustained rate: bursts of BURST every SECONDS/(SUSTAINED/BURST) seconds.
    const gap = (SECONDS * 1000) / (SUSTAINED / BURST);
    const t0 = Date.now();
    let late = 0;
    for (let b = 0; b < SUSTAINED / BURST; b++) {
      await recv(page, BURST);
      const due = t0 + (b + 1) * gap;
      if (Date.now() > due) late++;
      else await page.waitForTimeout(due - Date.now());
    }
    const sustainedMs = Date.now() - t0;
    const afterSustained = await settle(panel, stats);
    console.log(
      `sustained: ${SUSTAINED} Transitions in ${(sustainedMs / 1000).toFixed(1)} s (${late} bursts late) = ${Math.round((SUSTAINED * 60_000) / sustainedMs)}/min; ` +
        `background numbered ${afterSustained.bg.lastN} (dropped ${afterSustained.bg.dropped}); panel received ${afterSustained.panel.received} ` +
        `(holds ${afterSustained.panel.events}, trimmed ${afterSustained.panel.trimmed}, background-evicted banner ${afterSustained.panel.evicted}); ` +
        `silent loss ${afterSustained.bg.lastN - afterSustained.panel.received}; ${await longTasks()}`,
    );

    // 2. Past 100,000: another SUSTAINED at full speed.
    const t1 = Date.now();
    for (let b = 0; b < SUSTAINED / BURST; b++) await recv(page, BURST);
    const fastMs = Date.now() - t1;
    const full = await settle(panel, stats);
    console.log(
      `full speed: ${SUSTAINED} more in ${(fastMs / 1000).toFixed(1)} s = ${Math.round((SUSTAINED * 60_000) / fastMs)}/min; ` +
        `background numbered ${full.bg.lastN} (dropped ${full.bg.dropped}); panel received ${full.panel.received} ` +
        `(holds ${full.panel.events}, trimmed ${full.panel.trimmed}, evicted banner ${full.panel.evicted}, timeline rows ${full.panel.rows}); ` +
        `silent loss ${full.bg.lastN - full.panel.received}; ${await longTasks()}`,
    );

    // 3. A long timeline: each ModifyQuerySet with an Add is one timeline row (Transitions make none), so a raw
    // sync socket subscribing ROWS times gives the search and the virtualised list something to work on.
    const t2 = Date.now();
    await page.evaluate(async ([url, rows]) => {
      const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/1.48.0/sync");
      await new Promise((r) => (ws.onopen = r));
      for (let i = 0; i < rows; i++) {
        // Add and Remove in one frame: a row each, while the bench server's query set (answered whole) stays empty.
        const mods = [{ type: "Add", queryId: 1000 + i, udfPath: `bench:q${i % 97}`, args: [{}] }, { type: "Remove", queryId: 1000 + i }];
        ws.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: i, newVersion: i + 1, modifications: mods }));
        if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 100));
      }
    }, [server.origin, ROWS] as const);
    const long = await settle(panel, stats);
    console.log(
      `long timeline: ${ROWS} subscriptions in ${((Date.now() - t2) / 1000).toFixed(1)} s; panel received ${long.panel.received} of ${long.bg.lastN} ` +
        `(silent loss ${long.bg.lastN - long.panel.received}), timeline rows ${long.panel.rows}; ${await longTasks()}`,
    );

    await panel.bringToFront();
    const search = await searchTimes(panel, ["bench:q42", "zzz-no-match", "subscribed", "q1", ""]);
    console.log(`search → rendered (next frame), ms: ${search.map((s) => `"${s.q}" ${s.ms.toFixed(1)} (${s.rows} rows)`).join("; ")}`);
    const scroll = await scrollFrames(panel);
    console.log(`scroll: ${scroll.frames} frames over ${scroll.rows} rows, rAF delta max ${scroll.max.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms`);
    const cdp = await context.newCDPSession(panel);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    console.log(`panel JS heap after GC: used ${(heap.usedSize / 1e6).toFixed(1)} MB, total ${(heap.totalSize / 1e6).toFixed(1)} MB`);
    console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until the panel's count stops moving (the background flushes in batches), then reads both sides. */
async function settle(panel: Page, stats: () => Promise<Stats>) {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const c = await panelCounts(panel);
    const bg = await stats();
    if (c.received === last && c.received >= bg.lastN) return { bg, panel: c };
    last = c.received;
    await panel.waitForTimeout(300);
  }
  return { bg: await stats(), panel: await panelCounts(panel) };
}

await main();
