/**
 * A 100 MB HAR of a busy app (test/bench/har-100mb.ts) opened in the panel: read in chunks from File.stream()
 * with yields to the event loop, so the panel stays responsive while it reads. A 20 ms heartbeat timer inside the
 * panel shows it: the timer must keep firing while the "reading" banner is up (a read that never yields would let
 * it fire at most once or twice). The longest gap is logged, not asserted: timings are for the benchmarks
 * (test/bench/har.bench.ts), and a stopwatch in a test fails on a loaded machine for nothing.
 */
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { writeBusyHar } from "../../bench/har-100mb.ts";
import { viewOf, waitForPanel } from "./panel-view.ts";

/** Heartbeats the panel must run while the import reads (each one is a turn of the event loop the import gave back). */
const MIN_BEATS_WHILE_READING = 10;

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness();
});
test.afterAll(async () => {
  await harness?.close();
});

test("a 100 MB HAR imports without freezing the panel", async ({ page, openPanelTab }) => {
  test.setTimeout(180_000);
  const file = join(tmpdir(), "cai-panel-import-100mb.har");
  if (!existsSync(file)) await writeBusyHar(file, 100);
  expect(statSync(file).size).toBeGreaterThan(95 * 2 ** 20);
  await page.goto(harness.demoUrl("good"));
  const tab = await openPanelTab(page);
  await tab.evaluate(() => {
    const w = window as unknown as { __beat: { last: number; max: number; ticks: number; readingTicks: number } };
    w.__beat = { last: performance.now(), max: 0, ticks: 0, readingTicks: 0 };
    setInterval(() => {
      const now = performance.now();
      w.__beat.max = Math.max(w.__beat.max, now - w.__beat.last);
      w.__beat.last = now;
      w.__beat.ticks++;
      if (document.querySelector('[data-testid="import-reading"]')) w.__beat.readingTicks++;
    }, 20);
  });
  const started = Date.now();
  await tab.getByTestId("import-input").setInputFiles(file);
  // Reset the heartbeat once the file is handed over (setInputFiles itself is Playwright's work, not the panel's).
  await tab.evaluate(() => {
    const w = window as unknown as { __beat: { last: number; max: number } };
    w.__beat.max = 0;
    w.__beat.last = performance.now();
  });
  await expect(tab.getByTestId("import-banner")).toHaveAttribute("data-kind", "har", { timeout: 120_000 });
  const ms = Date.now() - started;
  const beat = await tab.evaluate(() => (window as unknown as { __beat: { max: number; ticks: number; readingTicks: number } }).__beat);
  console.log(`100 MB HAR import: ${ms} ms, longest UI gap ${beat.max.toFixed(0)} ms, ${beat.readingTicks} of ${beat.ticks} heartbeats while reading`);
  expect(beat.readingTicks).toBeGreaterThanOrEqual(MIN_BEATS_WHILE_READING);
  const s = await waitForPanel(viewOf(tab), (x) => x.connections.length > 0, "the imported connections");
  expect(s.connections.length).toBeGreaterThan(0);
});
