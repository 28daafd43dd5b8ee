/**
 * The panel bench's rig, shared by panel.bench.ts and profile.ts: real Chromium with the built extension, the
 * bench page driving the real `convex` client, and the panel opened in a tab (`panel.html?tabId=N`) with a
 * `PerformanceObserver("longtask")` on its thread from the start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../e2e/support/chromium.ts";
import { startBenchServer } from "../page/server.ts";

const EXT = process.env.CAI_BENCH_EXT ?? resolve(import.meta.dirname, "..", "..", "..", "dist", "chrome");

/** What the background says about the bench tab (its debug `stats()`). */
export type TabStats = { tabId: number; size: number; lastN: number; dropped: number; topUrl: string | null };

export interface LongTasks {
  count: number;
  longest: number;
  /** "63 ms at 12.4 s (status line)" per task, for CAI_BENCH_VERBOSE. */
  at: string[];
}

export interface PanelRig {
  origin: string;
  /** The browser's profile directory (names its processes in /proc). */
  profileDir: string;
  context: BrowserContext;
  /** The bench page (test/bench/page/app.ts). */
  page: Page;
  /** The panel in a tab, inspecting `page`. */
  panel: Page;
  stats(): Promise<TabStats>;
  /** The long tasks seen on the panel's thread since the last call. */
  longTasks(): Promise<LongTasks>;
  /** CPU time (ms) the panel's main thread has used so far (CDP ThreadTime: not inflated by a busy machine). */
  threadCpuMs(): Promise<number>;
  close(): Promise<void>;
}

export async function openPanelRig(): Promise<PanelRig> {
  const server = await startBenchServer();
  const dir = mkdtempSync(join(tmpdir(), "cai-panel-bench-"));
  const args = [...CHROMIUM_FLAGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`];
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args });
  const close = async () => {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    const id = new URL(sw.url()).host;
    const stats = async (): Promise<TabStats> => {
      const all = (await sw.evaluate(() => (globalThis as unknown as { __caiBackground: { stats(): unknown } }).__caiBackground.stats())) as TabStats[];
      const s = all.filter((x) => x.topUrl?.startsWith(`${server.origin}/app`)).at(-1);
      if (!s) throw new Error("the background never heard of the bench page");
      return s;
    };
    const page = await context.newPage();
    await page.goto(`${server.origin}/app`);
    await page.evaluate((o) => (window as unknown as { bench: { setup(u: string): Promise<void> } }).bench.setup(o), server.origin);
    let tab: TabStats | null = null;
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
    const longTasks = async (): Promise<LongTasks> => {
      const r = await panel.evaluate(() => {
        const w = window as unknown as { longTasks: number[]; longAt: string[] };
        return { ds: w.longTasks.splice(0), at: w.longAt.splice(0) };
      });
      return { count: r.ds.length, longest: Math.round(Math.max(0, ...r.ds)), at: r.at };
    };
    const cdp = await context.newCDPSession(panel);
    await cdp.send("Performance.enable");
    const threadCpuMs = async () => {
      const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
      return (metrics.find((m) => m.name === "ThreadTime")?.value ?? NaN) * 1000;
    };
    return { origin: server.origin, profileDir: dir, context, page, panel, stats, longTasks, threadCpuMs, close };
  } catch (e) {
    await close();
    throw e;
  }
}
