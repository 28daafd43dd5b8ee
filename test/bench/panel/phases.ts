/**
 * The panel bench's workloads, each ending when the panel has caught up with the background:
 * `sustained` paces ~1 KB Transitions through the real `convex` client, `fullSpeed` sends them as fast as the
 * client takes them, `longTimeline` makes timeline rows from a raw sync socket (Transitions make none).
 */
import type { Page } from "@playwright/test";
import { panelCounts, type PanelCounts } from "./measure.ts";
import type { PanelRig, TabStats } from "./setup.ts";

export const BURST = 1_000;

export interface Settled {
  bg: TabStats;
  panel: PanelCounts;
}

const recv = (page: Page, n: number) =>
  page.evaluate((n) => (window as unknown as { bench: { recv(n: number, size: number): Promise<number> } }).bench.recv(n, 1000), n);

/** `count` Transitions in bursts of BURST, paced evenly over `seconds`; how many bursts started late. */
export async function sustained(rig: PanelRig, count: number, seconds: number): Promise<{ ms: number; late: number; end: Settled }> {
  const gap = (seconds * 1000) / (count / BURST);
  const t0 = Date.now();
  let late = 0;
  for (let b = 0; b < count / BURST; b++) {
    await recv(rig.page, BURST);
    const due = t0 + (b + 1) * gap;
    if (Date.now() > due) late++;
    else await rig.page.waitForTimeout(due - Date.now());
  }
  const ms = Date.now() - t0;
  return { ms, late, end: await settle(rig) };
}

/** `count` Transitions as fast as the page's client takes them. */
export async function fullSpeed(rig: PanelRig, count: number): Promise<{ ms: number; end: Settled }> {
  const t0 = Date.now();
  for (let b = 0; b < count / BURST; b++) await recv(rig.page, BURST);
  const ms = Date.now() - t0;
  return { ms, end: await settle(rig) };
}

/**
 * `rows` timeline rows: a raw sync socket sends one ModifyQuerySet per row (Add and Remove in one frame, so the
 * bench server's query set, answered whole, stays empty), 1,000 every 100 ms.
 */
export async function longTimeline(rig: PanelRig, rows: number): Promise<{ ms: number; end: Settled }> {
  const t0 = Date.now();
  await rig.page.evaluate(async ([url, rows]) => {
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/1.48.0/sync");
    await new Promise((r) => (ws.onopen = r));
    for (let i = 0; i < rows; i++) {
      const mods = [{ type: "Add", queryId: 1000 + i, udfPath: `bench:q${i % 97}`, args: [{}] }, { type: "Remove", queryId: 1000 + i }];
      ws.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: i, newVersion: i + 1, modifications: mods }));
      if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 100));
    }
  }, [rig.origin, rows] as const);
  const ms = Date.now() - t0;
  return { ms, end: await settle(rig) };
}

/** Waits until the panel's count stops moving (the background flushes in batches), then reads both sides. */
export async function settle(rig: PanelRig): Promise<Settled> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const c = await panelCounts(rig.panel);
    const bg = await rig.stats();
    if (c.received === last && c.received >= bg.lastN) return { bg, panel: c };
    last = c.received;
    await rig.panel.waitForTimeout(300);
  }
  return { bg: await rig.stats(), panel: await panelCounts(rig.panel) };
}
