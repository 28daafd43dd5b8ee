/**
 * Playwright fixtures: Debian Chromium with the built extension (dist/chrome), its service worker and id,
 * the REAL DevTools panel (CDP `Target.openDevTools` + `InspectorView.showPanel`, recipe §3a), the
 * panel-in-a-tab mode, a service-worker kill switch, and loading the extension after a page loaded.
 *
 *   import { test, expect } from "../fixtures.ts";
 *   test("x", async ({ page, openPanel }) => { const panel = await openPanel(page); await panel.evaluate("1+1"); });
 *   test.describe(() => { test.use({ loadExtensionAtLaunch: false }); ... await installExtension(); });
 */
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test as base, expect, chromium } from "@playwright/test";
import type { BrowserContext, CDPSession, Page, Worker } from "@playwright/test";
import { listTargets } from "./extension/support/cdp-child.ts";
import { CHROMIUM, CHROMIUM_FLAGS } from "./support/chromium.ts";
import { openDevToolsPanel, PANEL_PATH, until, type PanelHandle } from "./support/devtools-panel.ts";

export type { Evaluable, PanelHandle } from "./support/devtools-panel.ts";

export { expect };

export { CHROMIUM, CHROMIUM_FLAGS } from "./support/chromium.ts";
/** Absolute: Chromium derives an unpacked extension's id from its path. */
export const EXTENSION_DIR = resolve(import.meta.dirname, "..", "..", "dist", "chrome");
export { PANEL_PATH, DEVTOOLS_PATH, PANEL_TITLE } from "./support/devtools-panel.ts";

export interface Extension {
  id: string;
  worker: Worker;
}

type Fixtures = {
  /** false: launch without the extension; call `installExtension()` when the test wants it. */
  loadExtensionAtLaunch: boolean;
  extensionDir: string;
  context: BrowserContext;
  /** Browser-level CDP session (Target.*, Extensions.*). */
  browserSession: CDPSession;
  installExtension: () => Promise<Extension>;
  serviceWorker: Worker;
  extensionId: string;
  openPanel: (page: Page) => Promise<PanelHandle>;
  openPanelTab: (page: Page) => Promise<Page>;
  /** Stops the extension's service worker (like the browser's idle kill); resolves once it is really gone. */
  killServiceWorker: () => Promise<{ epochBefore: string }>;
  /** The extension's live service worker, waiting for one whose background epoch differs from `notEpoch`. */
  liveServiceWorker: (notEpoch?: string) => Promise<Worker>;
  tabIdOf: (page: Page) => Promise<number>;
};

const swFilter = (id: string | null) => (w: Worker) =>
  w.url().startsWith("chrome-extension://") && (id === null || new URL(w.url()).host === id);

export const test = base.extend<Fixtures & { extensionState: { ext: Extension | null } }>({
  loadExtensionAtLaunch: [true, { option: true }],
  extensionDir: [EXTENSION_DIR, { option: true }],

  extensionState: async ({}, use) => {
    await use({ ext: null });
  },

  context: async ({ loadExtensionAtLaunch, extensionDir, extensionState }, use) => {
    if (!existsSync(join(extensionDir, "manifest.json"))) {
      throw new Error(`${extensionDir}/manifest.json is missing: run \`node scripts/build.mjs chrome\` first`);
    }
    const dir = mkdtempSync(join(tmpdir(), "cai-pw-"));
    const args = loadExtensionAtLaunch
      ? [...CHROMIUM_FLAGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]
      : // Extensions.loadUnpacked over the pipe needs this switch (Chromium 126+).
        [...CHROMIUM_FLAGS, "--enable-unsafe-extension-debugging"];
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args,
      // Playwright passes --disable-extensions by default; --disable-extensions-except overrides it, but a
      // browser that loads the extension later needs extensions enabled from the start.
      ignoreDefaultArgs: loadExtensionAtLaunch ? [] : ["--disable-extensions"],
    });
    if (loadExtensionAtLaunch) {
      const worker = context.serviceWorkers().find(swFilter(null)) ?? (await context.waitForEvent("serviceworker", { predicate: swFilter(null) }));
      extensionState.ext = { id: new URL(worker.url()).host, worker };
    }
    await use(context);
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  },

  browserSession: async ({ context }, use) => {
    const browser = context.browser();
    if (!browser) throw new Error("no Browser for this persistent context (Playwright changed?)");
    const s = await browser.newBrowserCDPSession();
    await use(s);
    await s.detach().catch(() => {});
  },

  installExtension: async ({ context, browserSession, extensionDir, extensionState, loadExtensionAtLaunch }, use) => {
    await use(async () => {
      if (extensionState.ext) return extensionState.ext;
      if (loadExtensionAtLaunch) throw new Error("the extension is already loaded at launch");
      const { id } = (await browserSession.send("Extensions.loadUnpacked" as never, { path: extensionDir } as never)) as { id: string };
      const worker =
        context.serviceWorkers().find(swFilter(id)) ?? (await context.waitForEvent("serviceworker", { predicate: swFilter(id) }));
      extensionState.ext = { id, worker };
      return extensionState.ext;
    });
  },

  serviceWorker: async ({ context, extensionState }, use) => {
    if (!extensionState.ext) throw new Error("the extension is not loaded: call installExtension() first");
    void context;
    await use(extensionState.ext.worker);
  },

  extensionId: async ({ extensionState }, use) => {
    if (!extensionState.ext) throw new Error("the extension is not loaded: call installExtension() first");
    await use(extensionState.ext.id);
  },

  liveServiceWorker: async ({ context, extensionState }, use) => {
    await use(async (notEpoch) => {
      const id = extensionState.ext?.id;
      if (!id) throw new Error("the extension is not loaded");
      return until(async () => {
        for (const w of context.serviceWorkers().filter(swFilter(id))) {
          const epoch = await w
            .evaluate(() => (globalThis as unknown as { __caiBackground?: { epoch: string } }).__caiBackground?.epoch)
            .catch(() => undefined);
          if (epoch && epoch !== notEpoch) return w;
        }
        return null;
      }, "a live extension service worker");
    });
  },

  killServiceWorker: async ({ context, browserSession, extensionState, liveServiceWorker }, use) => {
    await use(async () => {
      const id = extensionState.ext?.id;
      if (!id) throw new Error("the extension is not loaded");
      const w = await liveServiceWorker();
      const epochBefore = await w.evaluate(() => (globalThis as unknown as { __caiBackground: { epoch: string } }).__caiBackground.epoch);
      const isOurs = (t: { type: string; url: string }) => t.type === "service_worker" && t.url.startsWith(`chrome-extension://${id}/`);
      // ServiceWorker.stopAllWorkers stops it like the browser's idle kill. (Target.closeTarget on the worker
      // made Chromium 156 exit in trials, so it is not used.)
      const page = context.pages()[0] ?? (await context.newPage());
      const s = await context.newCDPSession(page);
      try {
        await s.send("ServiceWorker.enable");
        await s.send("ServiceWorker.stopAllWorkers");
      } finally {
        await s.detach().catch(() => {});
      }
      // Stopped: its target is gone, or a relay already woke a new life (Playwright keeps the same Worker
      // object for the same target id, so compare the background's epoch).
      await until(async () => {
        if (!(await listTargets(browserSession)).some(isOurs)) return true;
        const now = await w
          .evaluate(() => (globalThis as unknown as { __caiBackground?: { epoch: string } }).__caiBackground?.epoch)
          .catch(() => undefined);
        return now !== undefined && now !== epochBefore;
      }, "the service worker to stop");
      return { epochBefore };
    });
  },

  tabIdOf: async ({ liveServiceWorker }, use) => {
    await use(async (page) => {
      const url = page.url();
      const w = await liveServiceWorker();
      // The background knows each tab's top URL from the hook's `installed` event (no `tabs` permission).
      const byUrl = await until(
        () =>
          w.evaluate((u) => {
            const stats = (globalThis as unknown as { __caiBackground: { stats(): { tabId: number; topUrl: string | null }[] } }).__caiBackground.stats();
            const hits = stats.filter((s) => s.topUrl === u);
            return hits.length === 1 ? hits[0]!.tabId : hits.length > 1 ? -1 : null;
          }, url),
        `a tab for ${url} in the background`,
        3_000,
      ).catch(() => null);
      if (byUrl !== null && byUrl >= 0) return byUrl;
      if (byUrl === -1) throw new Error(`several tabs show ${url}: give each test page a unique URL`);
      // No hook ran in it (loaded before the extension): the active tab, with the page brought to front.
      await page.bringToFront();
      return w.evaluate(async () => {
        const tabs = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        if (tabs.length !== 1 || tabs[0]!.id === undefined) throw new Error(`expected one active tab, got ${tabs.length}`);
        return tabs[0]!.id;
      });
    });
  },

  openPanelTab: async ({ context, extensionState, tabIdOf }, use) => {
    await use(async (page) => {
      const id = extensionState.ext?.id;
      if (!id) throw new Error("the extension is not loaded");
      const tabId = await tabIdOf(page);
      const tab = await context.newPage();
      await tab.goto(`chrome-extension://${id}/${PANEL_PATH}?tabId=${tabId}`);
      return tab;
    });
  },

  openPanel: async ({ context, browserSession, extensionState }, use) => {
    const opened: PanelHandle[] = [];
    await use(async (page) => {
      const id = extensionState.ext?.id;
      if (!id) throw new Error("the extension is not loaded");
      const handle = await openDevToolsPanel({ context, browserSession, page, extensionId: id });
      opened.push(handle);
      return handle;
    });
    for (const h of opened) await h.close().catch(() => {});
  },
});
