/**
 * The extension shell end to end in Chromium: hook → relay → background → panel port, with the real built
 * extension and a real sync socket. Counts every event through the panel's own port code (`connectPanel`).
 */
import { expect, test } from "../fixtures.ts";
import type { Page } from "@playwright/test";
import { TAB_BUFFER_LIMIT } from "../../../src/extension/protocol";
import { PANEL_MAX_EVENTS, PANEL_TRIM } from "../../../src/panel/state/session";
import { syncPageHtml, syncServerPerTest } from "./support/sync-server.ts";
import type { SyncServer } from "./support/sync-server.ts";
import {
  count,
  gapFree,
  kindsOf,
  openExtensionPage,
  readCollector,
  startCollector,
  stopCollector,
  uniqueInOrder,
  waitCollected,
} from "./support/collector.ts";

let server: SyncServer;
syncServerPerTest(test, (s) => (server = s));

let pageNo = 0;
/** A unique URL per page, so the background's debug view can map it to a tab. */
async function openSyncPage(page: Page, initial = 2): Promise<string> {
  const url = server.page(`/p${++pageNo}`, syncPageHtml({ initial }));
  await page.goto(url);
  await page.waitForFunction((n) => (window as any).__acks >= n, initial);
  return url;
}

async function sendFrames(page: Page, n: number): Promise<void> {
  const before = await page.evaluate(() => (window as any).__acks as number);
  await page.evaluate((k) => (window as any).send(k), n);
  await page.waitForFunction((target) => (window as any).__acks >= target, before + n);
}

test("events reach the background and a panel port in order, live ones after the backlog", async ({ page, context, extensionId, tabIdOf, liveServiceWorker }) => {
  await openSyncPage(page, 2);
  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  let c = await waitCollected(ext, "a", (c) => count(c.events, "ws-recv") === 2, "the backlog");
  expect(c.backlogs).toEqual([{ hookSeen: true, count: c.events.length }]);
  // Both frames are sent in onopen, before any answer arrives.
  expect(kindsOf(c.events)).toEqual(["navigated", "installed", "ws-new", "ws-open", "ws-send", "ws-send", "ws-recv", "ws-recv"]);
  // The frames in the order the page sent them (Connect first).
  const sent = c.events.filter((e) => e.ev.k === "ws-send").map((e) => JSON.parse((e.ev as any).frame.text).type);
  expect(sent).toEqual(["Connect", "ModifyQuerySet"]);

  await sendFrames(page, 3);
  c = await waitCollected(ext, "a", (c) => count(c.events, "ws-recv") === 5, "3 live frames each way");
  expect(gapFree(c.events)).toBe(true);
  expect(uniqueInOrder(c.events)).toBe(true);
  expect(c.events.filter((e) => e.ev.k === "ws-send").map((e) => JSON.parse((e.ev as any).frame.text).newVersion)).toEqual([undefined, 1, 2, 3, 4]);
  expect(c.events.every((e) => e.frame === 0)).toBe(true);
  // The server saw exactly what the page sent: the tap changed nothing.
  expect(server.received).toHaveLength(5);

  const w = await liveServiceWorker();
  const stats = await w.evaluate(() => (globalThis as any).__caiBackground.stats());
  expect(stats).toEqual([expect.objectContaining({ tabId, size: c.events.length, lastN: c.events.length, dropped: 0 })]);
  await stopCollector(ext, "a");
});

test("the real DevTools panel opens for the tab and its inspectedWindow.tabId is that tab", async ({ page, openPanel, tabIdOf }) => {
  await openSyncPage(page, 2);
  const tabId = await tabIdOf(page);
  const panel = await openPanel(page);
  const seen = await panel.evaluate(() => ({
    tabId: (globalThis as any).chrome.devtools.inspectedWindow.tabId,
    path: location.pathname,
  }));
  expect(seen).toEqual({ tabId, path: "/src/panel/panel.html" });
  // The devtools page's port (inspected tab) gets the same backlog.
  await startCollector(panel.devtoolsPage, "dt", null);
  const c = await waitCollected(panel.devtoolsPage, "dt", (c) => count(c.events, "ws-recv") === 2, "the backlog in DevTools");
  expect(c.backlogs[0]?.hookSeen).toBe(true);
});

test("killing the service worker mid-session and reopening the panel loses no event", async ({ page, context, extensionId, tabIdOf, killServiceWorker, liveServiceWorker, browserSession }) => {
  await openSyncPage(page, 2);
  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  await waitCollected(ext, "a", (c) => count(c.events, "ws-recv") === 2, "the first backlog");

  const { epochBefore } = await killServiceWorker();
  await sendFrames(page, 5); // the relay reconnects (waking a new worker) and replays
  const restarted = await liveServiceWorker(epochBefore);
  const epochAfter = await restarted.evaluate(() => (globalThis as any).__caiBackground.epoch);
  expect(epochAfter).not.toBe(epochBefore);

  let a = await waitCollected(ext, "a", (c) => count(c.events, "ws-recv") === 7, "all 7 frames each way across the restart");
  await new Promise((r) => setTimeout(r, 2000)); // past the loss-settling window: nothing more may arrive
  a = await readCollector(ext, "a");
  expect(count(a.events, "ws-send")).toBe(7);
  expect(count(a.events, "ws-recv")).toBe(7);
  expect(count(a.events, "installed")).toBe(1);
  expect(count(a.events, "navigated")).toBe(1);
  expect(count(a.events, "dropped")).toBe(0);
  expect(gapFree(a.events)).toBe(true);
  expect(uniqueInOrder(a.events)).toBe(true);
  await stopCollector(ext, "a");

  // Panel closed; more traffic; a second kill with a quiet page: the idle kill sticks (relays reconnect
  // lazily), and a fresh panel wakes the worker, which asks the tab's relay to replay.
  await sendFrames(page, 3);
  await new Promise((r) => setTimeout(r, 500)); // the hook posts within 50 ms: let that reach the worker first
  const second = await killServiceWorker();
  await new Promise((r) => setTimeout(r, 1000));
  const stillStopped = await browserSession.send("Target.getTargets", { filter: [{}] } as never);
  expect((stillStopped as any).targetInfos.filter((t: any) => t.type === "service_worker" && t.url.includes(extensionId))).toEqual([]);
  await startCollector(ext, "b", tabId);
  const b = await waitCollected(ext, "b", (c) => count(c.events, "ws-recv") === 10, "all 10 frames each way in a new panel");
  expect(await (await liveServiceWorker(second.epochBefore)).evaluate(() => (globalThis as any).__caiBackground.epoch)).not.toBe(second.epochBefore);
  expect(count(b.events, "ws-send")).toBe(10);
  expect(count(b.events, "installed")).toBe(1);
  expect(gapFree(b.events)).toBe(true);
  expect(uniqueInOrder(b.events)).toBe(true);
  expect(b.backlogs[0]?.hookSeen).toBe(true);
});

test("events of a page that is gone when the worker dies are reported as lost, not silently dropped", async ({ page, context, extensionId, tabIdOf, killServiceWorker, liveServiceWorker }) => {
  const first = await openSyncPage(page, 3);
  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "early", tabId);
  const early = await waitCollected(ext, "early", (c) => count(c.events, "ws-recv") === 3, "the first page's events");
  const firstDoc = early.events.find((e) => e.ev.k === "installed")!.doc;
  const firstPageEvents = early.events.filter((e) => e.doc === firstDoc).length;
  // This panel stays open throughout: it already has the first page, so it must not see a loss.
  await startCollector(ext, "kept", tabId);
  await stopCollector(ext, "early");

  await openSyncPage(page, 2); // navigate: the first document is gone for good
  expect(page.url()).not.toBe(first);
  const { epochBefore } = await killServiceWorker();
  await sendFrames(page, 1);
  await liveServiceWorker(epochBefore);

  await startCollector(ext, "late", tabId);
  const late = await waitCollected(ext, "late", (c) => c.events.some((e) => e.ev.k === "dropped"), "a worker-stopped marker", 8000);
  const marker = late.events.find((e) => e.ev.k === "dropped")!.ev as any;
  expect(marker).toMatchObject({ reason: "worker-stopped", count: firstPageEvents });
  expect(count(late.events, "ws-recv")).toBe(3); // the second page: 2 + 1, replayed by its relay

  await new Promise((r) => setTimeout(r, 500));
  const kept = await readCollector(ext, "kept");
  expect(count(kept.events, "dropped")).toBe(0);
  expect(count(kept.events, "ws-recv")).toBe(6);
  expect(count(kept.events, "navigated")).toBe(2);
  expect(gapFree(kept.events)).toBe(true);
  expect(uniqueInOrder(kept.events)).toBe(true);
});

test("the tab buffer bound produces a dropped marker for what fell out", async ({ page, context, extensionId, tabIdOf }) => {
  test.setTimeout(60_000);
  await openSyncPage(page, 1);
  // 1 + 11 × 1,000 frames, 2 events each: more page events than the background keeps per tab.
  for (let j = 0; j < 11; j++) await sendFrames(page, 1000);
  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  const c = await waitCollected(ext, "a", (c) => c.events.length >= TAB_BUFFER_LIMIT + 1, "the bounded backlog", 20_000);
  const total = 4 + 2 * (1 + 11 * 1000); // navigated, installed, ws-new, ws-open, then 2 events per frame
  expect(c.events[0]?.ev).toMatchObject({ k: "dropped", reason: "tab-buffer", count: total - TAB_BUFFER_LIMIT });
  expect(c.events.length).toBe(TAB_BUFFER_LIMIT + 1);
  expect(count(c.events, "ws-recv")).toBeGreaterThan(9_000);
  expect(gapFree(c.events)).toBe(true);
});

test("a reload keeps the earlier page's events and adds a navigation marker", async ({ page, context, extensionId, tabIdOf, liveServiceWorker }) => {
  const url = await openSyncPage(page, 2);
  const tabId = await tabIdOf(page);
  // The hook's last batch is posted on pagehide and can be lost with the document (reported to the lead), so
  // reload only once the background has this page's 8 events.
  const w = await liveServiceWorker();
  await expect
    .poll(() => w.evaluate((t) => (globalThis as any).__caiBackground.stats().find((s: any) => s.tabId === t)?.lastN, tabId))
    .toBe(8);
  await page.reload();
  await page.waitForFunction(() => (window as any).__acks >= 2);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  const c = await waitCollected(ext, "a", (c) => count(c.events, "ws-recv") === 4, "both loads' frames");
  const navs = c.events.filter((e) => e.ev.k === "navigated").map((e) => (e.ev as any).url);
  expect(navs).toEqual([url, url]);
  const docs = [...new Set(c.events.filter((e) => e.i !== undefined).map((e) => e.doc))];
  expect(docs).toHaveLength(2);
  // Each load's events sit after its own marker.
  const k = kindsOf(c.events);
  expect(k.indexOf("navigated", 1)).toBeGreaterThan(k.indexOf("ws-recv"));
  expect(gapFree(c.events)).toBe(true);
});

test.describe("extension installed after the page loaded", () => {
  test.use({ loadExtensionAtLaunch: false });

  test("the panel opens, says the hook was not seen, and a reload captures", async ({ page, installExtension, openPanel }) => {
    await openSyncPage(page, 2);
    await installExtension(); // Extensions.loadUnpacked over the CDP pipe
    const panel = await openPanel(page);
    await startCollector(panel.devtoolsPage, "dt", null);
    let c = await waitCollected(panel.devtoolsPage, "dt", (c) => c.backlogs.length === 1, "the backlog");
    expect(c.backlogs[0]).toEqual({ hookSeen: false, count: 0 });
    await page.reload();
    await page.waitForFunction(() => (window as any).__acks >= 2);
    c = await waitCollected(panel.devtoolsPage, "dt", (c) => count(c.events, "ws-recv") === 2, "events after the reload");
    expect(kindsOf(c.events).slice(0, 2)).toEqual(["navigated", "installed"]);
  });
});

test("a live panel past its own bound shows the trimmed count, and is told what the background let go (it lost nothing)", async ({ page, openPanelTab }) => {
  test.setTimeout(180_000);
  await openSyncPage(page, 1);
  const panel = await openPanelTab(page);
  await panel.waitForSelector('[data-testid="status-line"]');
  // 1 + rounds × 1,000 frames, 2 events each, all while the panel is attached: past both the background's
  // 20,000 and the panel's PANEL_MAX_EVENTS, by less than one trim step.
  const rounds = Math.floor(PANEL_MAX_EVENTS / 2000) + 1;
  for (let j = 0; j < rounds; j++) await sendFrames(page, 1000);
  const total = 4 + 2 * (1 + rounds * 1000);
  const read = () =>
    panel.evaluate(() => {
      const one = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      return {
        status: one("status-line")?.textContent ?? "",
        trimmed: Number(one("banner-trimmed")?.getAttribute("data-count") ?? 0),
        evicted: Number(one("banner-evicted")?.getAttribute("data-count") ?? 0),
        dropped: !!one("banner-dropped"),
      };
    });
  await expect.poll(async () => (await read()).trimmed + Number((await read()).status.split(" ")[0]), { timeout: 60_000 }).toBe(total);
  const r = await read();
  expect(r.trimmed).toBe(PANEL_TRIM); // one trim step at PANEL_MAX_EVENTS + 1
  expect(r.status).toMatch(new RegExp(`^${total - PANEL_TRIM} events`));
  expect(r.evicted).toBe(total - TAB_BUFFER_LIMIT);
  expect(r.dropped).toBe(false); // the panel itself received every event
  expect(await panel.textContent('[data-testid="banner-evicted"]')).toContain("lost nothing");
});
