/**
 * Issue 7 items 3 and 6, as a hostile page (or code with content-script privilege) would try them, against
 * the real built extension in Chromium: a plain page sees nothing of the extension and the background never
 * hears of it; a page forging batches after start-up is ignored; the pagehide batch still arrives through the
 * private channel; a content script of one tab can neither read nor clear another tab's buffer, and what it
 * sends as a relay lands in its own tab only, re-validated.
 */
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "../fixtures.ts";
import { HOOK_SOURCE } from "../../../src/core/capture/events";
import { RELAY_PORT } from "../../../src/extension/protocol";
import { syncPageHtml, syncServerPerTest } from "./support/sync-server.ts";
import type { SyncServer } from "./support/sync-server.ts";
import { forgeAfterStartup, FORGERY, framePageHtml, hasLastSend, PAGE_WATCH as WATCH, plainPageHtml, sendLastAndRemoveFrame } from "./support/page-watch.ts";
import { count, gapFree, openExtensionPage, readCollector, startCollector, waitCollected } from "./support/collector.ts";

let server: SyncServer;
syncServerPerTest(test, (s) => (server = s));

let pageNo = 0;
const unique = (name: string) => `/${name}-${++pageNo}`;

type Bg = { __caiBackground: { stats(): { tabId: number; size: number; lastN: number }[]; relays(): { tabId: number }[] } };
const bgStats = async (w: { evaluate<T>(f: () => T): Promise<T> }) =>
  w.evaluate(() => ({
    stats: (globalThis as unknown as Bg).__caiBackground.stats(),
    relays: (globalThis as unknown as Bg).__caiBackground.relays(),
  }));

/** Evaluates in the extension's isolated world of a page's top frame (content-script privilege), over CDP. */
async function inContentScript<T>(context: BrowserContext, page: Page, expression: string): Promise<T> {
  const s = await context.newCDPSession(page);
  try {
    const contexts: { id: number; name: string; auxData?: { type?: string; isDefault?: boolean; frameId?: string } }[] = [];
    s.on("Runtime.executionContextCreated", (e: { context: (typeof contexts)[number] }) => void contexts.push(e.context));
    await s.send("Runtime.enable");
    const { frameTree } = (await s.send("Page.getFrameTree")) as { frameTree: { frame: { id: string } } };
    const ctx = contexts.find((c) => c.auxData?.type === "isolated" && c.auxData.frameId === frameTree.frame.id && c.name === "Convex Auth Inspector");
    if (!ctx) throw new Error(`no isolated world of the extension in the page (saw ${contexts.map((c) => c.name).join(", ")})`);
    const r = (await s.send("Runtime.evaluate", { expression, contextId: ctx.id, awaitPromise: true, returnByValue: true })) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  } finally {
    await s.detach().catch(() => {});
  }
}

async function openSyncPage(page: Page, initial = 2): Promise<string> {
  const url = server.page(unique("sync"), syncPageHtml({ initial }).replace("<head>", `<head>${WATCH}`));
  await page.goto(url);
  await page.waitForFunction((n) => (window as any).__acks >= n, initial);
  return url;
}

test("a page without Convex traffic sees zero messages and the background never hears of it; the panel still knows the hook is there", async ({ page, context, extensionId, liveServiceWorker, tabIdOf }) => {
  server.page("/data.json", "{}");
  const url = server.page(unique("plain"), plainPageHtml("/data.json"));
  await page.goto(url);
  await page.waitForFunction(() => (window as any).__done === true);
  await page.waitForTimeout(500); // longer than the hook's 50 ms batch timer
  expect(await page.evaluate(() => (window as any).__seen)).toEqual([]);
  const w = await liveServiceWorker();
  expect(await bgStats(w)).toEqual({ stats: [], relays: [] });

  // The panel asks the top frame's relay instead (runtime messaging, invisible to the page).
  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  const c = await waitCollected(ext, "a", (c) => c.backlogs.length === 1, "the backlog");
  expect(c.backlogs).toEqual([{ hookSeen: true, count: 0 }]);
  expect((await bgStats(w)).relays).toEqual([]);
  expect(await page.evaluate(() => (window as any).__seen)).toEqual([]);
});

test("a page forging batches after start-up is ignored: window messages, a second channel offer, fake unload events", async ({ page, context, extensionId, tabIdOf }) => {
  await openSyncPage(page, 2);
  const forged = await page.evaluate(forgeAfterStartup, FORGERY);
  expect(forged).toEqual({ taken: false, got: 0 });

  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  const c = await waitCollected(ext, "a", (c) => count(c.events, "ws-recv") === 5, "the page's real frames");
  await page.waitForTimeout(300);
  const all = (await readCollector(ext, "a")).events;
  expect(all.map((e) => e.ev.k).slice(0, 4)).toEqual(["navigated", "installed", "ws-new", "ws-open"]);
  expect([all.length, count(all, "ws-new"), count(all, "ws-send")]).toEqual([14, 1, 5]);
  expect(all.some((e) => JSON.stringify(e.ev).includes("forged"))).toBe(false);
  expect(count(all, "dropped")).toBe(0); // ignored, not even counted: nothing reached the relay
  expect(new Set(all.filter((e) => e.i !== undefined).map((e) => e.doc)).size).toBe(1);
  expect(gapFree(c.events)).toBe(true);
  // The page's own listeners heard only its own forgeries (no message from the extension).
  const seen: string[] = await page.evaluate(() => (window as any).__seen);
  expect(seen.filter((s) => s.startsWith("message:"))).toHaveLength(2);
});

test("the pagehide batch arrives through the private channel: a frame removed right after sending", async ({ page, context, extensionId, tabIdOf, liveServiceWorker }) => {
  const child = server.page(unique("child"), syncPageHtml({ initial: 2 }));
  const url = server.page(unique("parent"), framePageHtml(child));
  await page.goto(url);
  const frame = page.frames().find((f) => f.url() === child) ?? (await page.waitForEvent("frameattached"));
  await frame.waitForFunction(() => (window as any).__acks >= 2);
  const w = await liveServiceWorker();
  // The child's 7 events (installed, ws-new, ws-open, 2 sends, 2 receives) are in; the parent sent nothing.
  await expect.poll(async () => (await bgStats(w)).stats.map((s) => s.lastN)).toEqual([7]);
  // Send, then remove the frame in the same task: the hook's 50 ms timer never fires; only pagehide can deliver.
  await page.evaluate(sendLastAndRemoveFrame);
  const tabId = await tabIdOf(page);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabId);
  const c = await waitCollected(ext, "a", (c) => hasLastSend(c.events), "the frame's last send, delivered at pagehide");
  expect(count(c.events, "ws-send")).toBe(3);
  expect(count(c.events, "dropped")).toBe(0);
});

test("content-script code in one tab can neither read nor clear another tab's buffer; what it relays stays in its own tab, re-validated", async ({ page, context, extensionId, tabIdOf, liveServiceWorker }) => {
  await openSyncPage(page, 2);
  const victim = await context.newPage();
  await victim.goto(server.page(unique("victim"), syncPageHtml({ initial: 2 })));
  await victim.waitForFunction(() => (window as any).__acks >= 2);
  const tabA = await tabIdOf(page);
  const tabB = await tabIdOf(victim);
  expect(tabA).not.toBe(tabB);
  const w = await liveServiceWorker();
  const sizeOf = async (tab: number) => (await bgStats(w)).stats.find((s) => s.tabId === tab)?.size;
  await expect.poll(() => sizeOf(tabB)).toBe(8);
  const sizeA = await sizeOf(tabA);

  // Tab A's content-script world asks for tab B's panel port: hello (read the backlog) and clear.
  const attempt = await inContentScript<{ messages: string[]; disconnected: boolean }>(
    context,
    page,
    `new Promise((resolve) => {
      const messages = [];
      const p = chrome.runtime.connect({ name: "cai-panel:${tabB}" });
      p.onMessage.addListener((m) => messages.push(m.type));
      p.onDisconnect.addListener(() => resolve({ messages, disconnected: true }));
      try { p.postMessage({ type: "hello", after: 0 }); p.postMessage({ type: "clear" }); } catch {}
      setTimeout(() => resolve({ messages, disconnected: false }), 2000);
    })`,
  );
  expect(attempt).toEqual({ messages: [], disconnected: true });
  expect(await sizeOf(tabB)).toBe(8);

  // As a relay it can only add to its own tab, and a malformed message becomes a visible marker.
  await inContentScript(
    context,
    page,
    `new Promise((resolve) => {
      const p = chrome.runtime.connect({ name: ${JSON.stringify(RELAY_PORT)} });
      p.postMessage({ type: "batch", batch: { source: ${JSON.stringify(HOOK_SOURCE)}, doc: "x", seq: 0, events: [{ k: "ws-open", t: 1, ws: 41 }, { k: "bogus", t: 1 }] }, first: 0 });
      p.postMessage({ type: "batch", batch: 5 });
      setTimeout(() => resolve(true), 300);
    })`,
  );
  await expect.poll(() => sizeOf(tabA)).toBe(sizeA! + 3);
  expect(await sizeOf(tabB)).toBe(8);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "a", tabA);
  const c = await waitCollected(ext, "a", (c) => count(c.events, "dropped") === 2, "two invalid markers");
  expect(c.events.filter((e) => e.ev.k === "dropped").map((e) => e.ev)).toEqual([
    expect.objectContaining({ count: 1, reason: "invalid" }),
    expect.objectContaining({ count: 1, reason: "invalid" }),
  ]);
  // And our own extension page still reads tab B whole.
  await startCollector(ext, "b", tabB);
  const b = await waitCollected(ext, "b", (c) => c.backlogs.length === 1, "tab B's backlog");
  expect(b.backlogs).toEqual([{ hookSeen: true, count: 8 }]);
});
