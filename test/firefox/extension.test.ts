/**
 * Firefox smoke test of the built add-on: the MAIN-world hook and the ISOLATED relay run, events reach the
 * background (event page) and come back out through the panel's port code; the panel page loads. (`web-ext
 * lint` is its own step of `npm test`, scripts/test.mjs.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluator, launchFirefoxWithAddon, waitInExtensionPage } from "./firefox.ts";
import type { FirefoxWithAddon } from "./firefox.ts";
import { startSyncServer, syncPageHtml } from "../e2e/extension/support/sync-server.ts";
import type { SyncServer } from "../e2e/extension/support/sync-server.ts";
import { count, gapFree, kindsOf, startCollector, waitCollected } from "../e2e/extension/support/collector.ts";
import { forgeAfterStartup, FORGERY, framePageHtml, hasLastSend, plainPageHtml, sendLastAndRemoveFrame } from "../e2e/extension/support/page-watch.ts";

/** devtools.html in a tab, with collector `name` started on `tabId` through the panel's port code. */
async function collect(ff: FirefoxWithAddon, name: string, tabId: number) {
  const extPage = await ff.openExtensionPage("src/extension/devtools.html");
  await waitInExtensionPage(extPage, `"__caiTest" in globalThis`);
  const ext = evaluator(extPage);
  await startCollector(ext, name, tabId);
  return { extPage, ext };
}

describe("Firefox ESR with the built add-on", () => {
  let server: SyncServer;
  let ff: FirefoxWithAddon;

  beforeAll(async () => {
    server = await startSyncServer();
    ff = await launchFirefoxWithAddon();
  });
  afterAll(async () => {
    await ff?.close();
    await server?.close();
  });

  it("hook and relay run, events reach the background and a panel port, live ones follow", async () => {
    const url = server.page("/ff", syncPageHtml({ initial: 2 }));
    const page = await ff.browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).__acks >= 2);
    const tabId = await ff.tabIdOf(url);

    const { extPage, ext } = await collect(ff, "ff", tabId);
    let c = await waitCollected(ext, "ff", (c) => count(c.events, "ws-recv") === 2, "the backlog in Firefox");
    expect(c.backlogs[0]?.hookSeen).toBe(true);
    // Firefox runs the hook in the new tab's initial about:blank too: one `installed`, no navigation marker.
    const blank = c.events.filter((e) => e.ev.k === "installed" && (e.ev as any).url === "about:blank");
    const rest = c.events.filter((e) => !blank.some((b) => b.doc === e.doc));
    expect(blank.length).toBeLessThanOrEqual(1);
    expect(kindsOf(rest)).toEqual(["navigated", "installed", "ws-new", "ws-open", "ws-send", "ws-send", "ws-recv", "ws-recv"]);

    await page.evaluate(() => (window as any).send(2));
    c = await waitCollected(ext, "ff", (c) => count(c.events, "ws-recv") === 4, "live events in Firefox");
    expect(count(c.events, "ws-send")).toBe(4);
    expect(gapFree(c.events)).toBe(true);
    expect(server.received).toHaveLength(4);
  });

  it("a page without Convex traffic sees zero messages and the background holds nothing; the relay says the hook is there", async () => {
    server.page("/ff-data.json", "{}");
    const url = server.page("/ff-plain", plainPageHtml("/ff-data.json"));
    const page = await ff.browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).__done === true);
    await new Promise((r) => setTimeout(r, 500)); // longer than the hook's 50 ms batch timer
    expect(await page.evaluate(() => (window as any).__seen)).toEqual([]);
    const tabId = await ff.tabIdOf(`${url}?moved`);
    const { extPage, ext } = await collect(ff, "plain", tabId);
    const c = await waitCollected(ext, "plain", (c) => c.backlogs.length === 1, "the backlog for a plain page");
    expect(c.backlogs).toEqual([{ hookSeen: true, count: 0 }]);
    expect(await page.evaluate(() => (window as any).__seen)).toEqual([]);
    await extPage.close();
  });

  it("a page forging batches after start-up is ignored (window messages, a second channel offer, fake unload events)", async () => {
    const url = server.page("/ff-forger", syncPageHtml({ initial: 2 }));
    const page = await ff.browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).__acks >= 2);
    expect(await page.evaluate(forgeAfterStartup, FORGERY)).toEqual({ taken: false, got: 0 });
    const tabId = await ff.tabIdOf(url);
    const { extPage, ext } = await collect(ff, "forger", tabId);
    const c = await waitCollected(ext, "forger", (c) => count(c.events, "ws-recv") === 5, "the page's real frames");
    expect(c.events.some((e) => JSON.stringify(e.ev).includes("forged"))).toBe(false);
    expect([count(c.events, "ws-new"), count(c.events, "ws-send"), count(c.events, "dropped")]).toEqual([1, 5, 0]);
    await extPage.close();
  });

  it("the pagehide batch of a frame removed right after sending arrives through the private channel", async () => {
    const child = server.page("/ff-child", syncPageHtml({ initial: 2 }));
    const url = server.page("/ff-parent", framePageHtml(child));
    const page = await ff.browser.newPage();
    await page.goto(url);
    const tabId = await ff.tabIdOf(url);
    const { extPage, ext } = await collect(ff, "frame", tabId);
    await waitCollected(ext, "frame", (c) => count(c.events, "ws-recv") === 2, "the frame's first frames");
    await page.evaluate(sendLastAndRemoveFrame);
    const c = await waitCollected(ext, "frame", (c) => hasLastSend(c.events), "the frame's last send, delivered at pagehide");
    expect(count(c.events, "ws-send")).toBe(3);
    expect(count(c.events, "dropped")).toBe(0);
    await extPage.close();
  });

  it("the panel page loads in a tab for the inspected tab and renders; a dropped HAR is imported", async () => {
    const url = server.page("/ff-panel", syncPageHtml({ initial: 1 }));
    const page = await ff.browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).__acks >= 1);
    const tabId = await ff.tabIdOf(url);
    const panel = await ff.openExtensionPage(`src/panel/panel.html?tabId=${tabId}`);
    await waitInExtensionPage(panel, `(document.body?.textContent ?? "").trim().length > 0`);
    const errors: string[] = [];
    panel.on("pageerror", (e) => errors.push(String(e)));
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([]);

    // Import in Firefox: a HAR dropped on the panel is read (File.stream() + core's reader) and shown as imported.
    const t = Date.UTC(2026, 10, 30, 9, 0, 0) / 1000;
    const har = JSON.stringify({
      log: {
        version: "1.2",
        entries: [
          {
            startedDateTime: new Date(t * 1000).toISOString(),
            request: { method: "GET", url: "wss://happy-otter-123.convex.cloud/api/1.48.0/sync", headers: [] },
            response: { status: 101, headers: [], content: { size: 0, mimeType: "" } },
            _resourceType: "websocket",
            _webSocketMessages: [
              { type: "send", time: t, opcode: 1, data: JSON.stringify({ type: "Connect", sessionId: "s", connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: t * 1000 }) },
              { type: "send", time: t + 0.01, opcode: 1, data: JSON.stringify({ type: "Authenticate", tokenType: "Admin", value: "dev:happy-otter-123|secretsecretsecret", baseVersion: 0 }) },
            ],
          },
        ],
      },
    });
    await panel.evaluate((text: string) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "ff.har", { type: "application/json" }));
      const root = document.querySelector('[data-testid="panel"]')!;
      root.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
      root.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, har);
    await waitInExtensionPage(panel, `document.querySelector('[data-testid="import-banner"]')?.getAttribute("data-file") === "ff.har"`);
    await waitInExtensionPage(panel, `document.querySelector('[data-testid="finding"][data-id="admin-key-exposed"]') !== null`);
    expect(errors).toEqual([]);
  });
});
