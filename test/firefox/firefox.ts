/**
 * Firefox ESR with the built add-on (temporary install over BiDi), plus the one privileged step the tests
 * need: BiDi cannot navigate to moz-extension:// (recipe §4), so the browser's own chrome code opens the
 * extension page in a tab, as a user typing its URL would. The add-on itself has no test-only code path.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import puppeteer from "puppeteer-core";
import type { Browser, Page } from "puppeteer-core";

export const FIREFOX = "/usr/bin/firefox-esr";
export const FIREFOX_DIST = resolve(import.meta.dirname, "..", "..", "dist", "firefox");

export interface FirefoxWithAddon {
  browser: Browser;
  addonId: string;
  /** moz-extension://<uuid>/ */
  base: string;
  /** The WebExtension tab id of the tab showing `url` (what `sender.tab.id` is in the background). */
  tabIdOf(url: string): Promise<number>;
  /** Opens an extension page (path under the add-on root) in a new tab; resolves with its Page. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefoxWithAddon(): Promise<FirefoxWithAddon> {
  if (!existsSync(join(FIREFOX_DIST, "manifest.json"))) {
    throw new Error(`${FIREFOX_DIST}/manifest.json is missing: run \`node scripts/build.mjs firefox\` first`);
  }
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    // Lets the test evaluate in the browser's chrome scope (to open moz-extension:// pages).
    args: ["--remote-allow-system-access"],
  });
  try {
    const addonId = await browser.installExtension(FIREFOX_DIST);
    // Puppeteer's BiDi browser exposes its raw connection (not in the public types).
    const bidi = (browser as unknown as { connection: { send(method: string, params: unknown): Promise<unknown> } }).connection;
    const chrome = async <T>(expression: string): Promise<T> => {
      const tree = (await bidi.send("browsingContext.getTree", { "moz:scope": "chrome" } as never)) as unknown as {
        result: { contexts: { context: string; url: string }[] };
      };
      const ctx = tree.result.contexts.find((c) => c.url === "chrome://browser/content/browser.xhtml");
      if (!ctx) throw new Error("the browser window's chrome context was not found");
      const r = (await bidi.send("script.evaluate", {
        expression,
        target: { context: ctx.context },
        awaitPromise: true,
      } as never)) as unknown as { result: { type: string; result?: { value?: unknown }; exceptionDetails?: { text: string } } };
      if (r.result.type !== "success") throw new Error(`chrome-scope evaluation failed: ${r.result.exceptionDetails?.text}`);
      return r.result.result?.value as T;
    };
    const base = await chrome<string>(`WebExtensionPolicy.getByID(${JSON.stringify(addonId)}).getURL("")`);
    return {
      browser,
      addonId,
      base,
      tabIdOf: (url) =>
        chrome<number>(`(() => {
          const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
          const tabs = gBrowser.tabs.filter((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(url)});
          if (tabs.length !== 1) throw new Error("expected one tab for the URL, found " + tabs.length);
          return ExtensionParent.apiManager.global.tabTracker.getId(tabs[0]);
        })()`),
      async openExtensionPage(path) {
        const url = base + path;
        await chrome(`void gBrowser.addTab(${JSON.stringify(url)}, {
          triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() })`);
        // Puppeteer reports such tabs' url() as about:blank, so ask each page where it is.
        const end = Date.now() + 10_000;
        for (;;) {
          for (const p of await browser.pages()) {
            const href = await p.evaluate(() => location.href).catch(() => "");
            if (href === url) return p;
          }
          if (Date.now() > end) throw new Error(`the extension page ${url} did not appear`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** A puppeteer Page as the collectors' `Evaluator` (a function plus one JSON argument). */
export const evaluator = (page: Page) => ({
  evaluate: <T>(fn: string | ((arg: any) => unknown), arg?: unknown): Promise<T> =>
    (typeof fn === "string" ? page.evaluate(fn) : page.evaluate(fn as (a: unknown) => unknown, arg)) as Promise<T>,
});
