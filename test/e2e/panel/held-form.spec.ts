/**
 * The live panel's stored form, on real traffic: the real `convex` client receives query results in ~2 KB
 * Transitions (the bench deployment), the built extension captures them, and the panel holds each Transition
 * that changed no auth state as its ends. Its export has every event (contiguous `n`, the status line's count),
 * counts the cut frames, and reads back — in core's reducer and through the panel's own import — to the
 * findings the panel showed from the whole text.
 */
import { expect, test } from "../fixtures.ts";
import { startBenchServer, type BenchServer } from "../../bench/page/server.ts";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { CapturedEvent } from "../../../src/core/session/types";
import { dropFile, exportedText, findingIds } from "./import-support.ts";
import { viewOf } from "./panel-view.ts";

const BURST = 300;

let server: BenchServer;
test.beforeAll(async () => {
  server = await startBenchServer();
});
test.afterAll(async () => {
  await server?.close();
});

test("plain Transitions are held as their ends: the export has every event, says how many are cut, and reads back to the same findings", async ({ page, openPanelTab }) => {
  await page.goto(`${server.origin}/app`);
  await page.evaluate((o) => (window as unknown as { bench: { setup(u: string): Promise<void> } }).bench.setup(o), server.origin);
  const tab = await openPanelTab(page);
  await tab.waitForSelector('[data-testid="status-line"]');
  await page.evaluate((n) => (window as unknown as { bench: { recv(n: number, size: number): Promise<number> } }).bench.recv(n, 2000), BURST);
  const view = viewOf(tab);
  const held = () => tab.evaluate(() => Number(document.querySelector('[data-testid="status-line"]')!.textContent!.split(" ")[0]!.replace(/,/g, "")));
  // Settled: the no-auth finding is shown and the count holds still for a second.
  await expect.poll(async () => (await findingIds(view)).includes("no-token-sent"), { timeout: 20_000 }).toBe(true);
  let count = -1;
  await expect.poll(async () => count === (count = await held()), { timeout: 20_000, intervals: [1000] }).toBe(true);
  expect(count).toBeGreaterThan(BURST);
  const shown = await findingIds(view);

  const file = JSON.parse(await exportedText(view, "export")) as { events: CapturedEvent[]; partialFrames?: { count: number; note: string } };
  const events = file.events;
  expect(events).toHaveLength(count);
  expect(events.map((e) => e.n)).toEqual(events.map((_, i) => events[0]!.n + i)); // none missing
  const cut = events.filter((e) => (e.ev.k === "ws-recv" || e.ev.k === "ws-send") && !("text" in e.ev.frame));
  expect(cut.length).toBeGreaterThanOrEqual(BURST);
  expect(file.partialFrames?.count).toBe(cut.length);
  for (const e of cut) {
    expect(e.ev.k).toBe("ws-recv");
    const f = (e.ev as { frame: { head: string; tail: string; size: number } }).frame;
    expect(f.head).toMatch(/^\{"type":"Transition","startVersion":\{[^}]*"identity":0[^}]*\},"endVersion":\{[^}]*"identity":0/);
    expect(f.head.length + f.tail.length).toBeLessThan(f.size / 4);
  }
  // What the panel showed from the whole text is what the stored form reads to.
  expect([...new Set(reduceSession(emptySession(), events).findings.map((f) => f.id))].sort()).toEqual(shown);
  await dropFile(view, "held.json", JSON.stringify(file));
  await tab.getByTestId("import-banner").waitFor();
  expect(await findingIds(view)).toEqual(shown);
});
