/**
 * Firefox ESR with the built add-on (temporary install over WebDriver BiDi, puppeteer-core), plus the browser's
 * chrome scope for the few privileged steps the tests need: BiDi cannot navigate to moz-extension:// (recipe §4),
 * so the browser's own chrome code opens extension pages in tabs, as a user typing the URL would; and the real
 * DevTools toolbox is opened there (toolbox.ts). The add-on itself has no test-only code path.
 *
 * The chrome scope is reached over Firefox's DevTools remote debugging protocol (rdp.ts), the protocol of
 * about:debugging and the Browser Toolbox: Firefox ESR 140's BiDi has no `moz:scope: "chrome"` (the recipe's
 * `browsingContext.getTree` answers with content tabs only), and Marionette cannot open a second WebDriver
 * session beside puppeteer's ("session not created: Maximum number of active sessions").
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import puppeteer from "puppeteer-core";
import type { Browser, Page } from "puppeteer-core";
import { HARNESS_DNS_PREFS } from "./harness-names.ts";
import { RdpClient } from "./rdp.ts";

export const FIREFOX = "/usr/bin/firefox-esr";
export const FIREFOX_DIST = resolve(import.meta.dirname, "..", "..", "dist", "firefox");

export interface FirefoxWithAddon {
  browser: Browser;
  addonId: string;
  /** moz-extension://<uuid>/ */
  base: string;
  /** The DevTools protocol connection (for toolbox.ts: the add-on's own documents as debugging targets). */
  rdp: RdpClient;
  /** Evaluates `expression` in the browser window's chrome scope (gBrowser, Services…); awaits a promise. */
  chrome<T>(expression: string): Promise<T>;
  /** The WebExtension tab id of the tab showing `url` (what `sender.tab.id` is in the background). */
  tabIdOf(url: string): Promise<number>;
  /** Opens an extension page (path under the add-on root) in a new tab; resolves with its Page. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Prefs for the DevTools server the tests connect to: on, chrome scope allowed, no "allow this connection?" prompt. */
const DEBUGGER_PREFS = {
  "devtools.debugger.remote-enabled": true,
  "devtools.chrome.enabled": true,
  "devtools.debugger.prompt-connection": false,
};

/** `addonDir`: an unpacked add-on folder (default the built dist/firefox). */
export async function launchFirefoxWithAddon(addonDir: string = FIREFOX_DIST): Promise<FirefoxWithAddon> {
  if (!existsSync(join(addonDir, "manifest.json"))) {
    throw new Error(`${addonDir}/manifest.json is missing: run \`node scripts/build.mjs firefox\` first`);
  }
  const port = await freePort();
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    args: ["--start-debugger-server", String(port)],
    // The harness's real-looking names resolve to 127.0.0.1 (harness-names.ts); nothing else is remapped.
    extraPrefsFirefox: { ...DEBUGGER_PREFS, ...HARNESS_DNS_PREFS },
  });
  let rdp: RdpClient | null = null;
  try {
    const addonId = await browser.installExtension(addonDir).catch(async (e: unknown) => {
      throw new Error(`${await browser.version()} refused the add-on (${minVersionOf(addonDir)}): ${String(e)}`);
    });
    rdp = await RdpClient.connect(port);
    const parent = await rdp.request("root", "getProcess", { id: 0 });
    const target = await rdp.request(parent.processDescriptor.actor as string, "getTarget");
    const consoleActor = target.process.consoleActor as string;
    const client = rdp;
    const chrome = <T>(expression: string) => client.evaluate<T>(consoleActor, expression);
    const base = await chrome<string>(`WebExtensionPolicy.getByID(${JSON.stringify(addonId)}).getURL("")`);
    return {
      browser,
      addonId,
      base,
      rdp,
      chrome,
      tabIdOf: (url) =>
        chrome<number>(`(() => {
          const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
          return ExtensionParent.apiManager.global.tabTracker.getId(${tabShowing(url)});
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
      async close() {
        client.close();
        await browser.close();
      },
    };
  } catch (e) {
    rdp?.close();
    await browser.close();
    throw e;
  }
}

/** A chrome-scope expression for the one tab showing `url` (throws unless exactly one does). */
export function tabShowing(url: string): string {
  return `(() => {
    const tabs = gBrowser.tabs.filter((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(url)});
    if (tabs.length !== 1) throw new Error("expected one tab for the URL, found " + tabs.length);
    return tabs[0];
  })()`;
}

/** The manifest's Firefox minimum, for an install error that says why (ESR lags behind release). */
function minVersionOf(addonDir: string): string {
  const m = JSON.parse(readFileSync(join(addonDir, "manifest.json"), "utf8")) as {
    browser_specific_settings?: { gecko?: { strict_min_version?: string } };
  };
  return `its strict_min_version is ${m.browser_specific_settings?.gecko?.strict_min_version ?? "unset"}`;
}

/** A free TCP port on 127.0.0.1 for the DevTools server (Firefox takes a number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Polls `expression` in an extension page until it is truthy. Puppeteer's `waitForFunction` compiles its
 * predicate with `Function()` inside the page, which an extension page's CSP blocks in Firefox ESR 140
 * ("EvalError: call to Function() blocked by CSP"); a plain evaluation is allowed.
 */
export async function waitInExtensionPage(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 100))) {
    if (await page.evaluate(expression).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
  }
}

/** A puppeteer Page as the collectors' `Evaluator` (a function plus one JSON argument). */
export const evaluator = (page: Page) => ({
  evaluate: <T>(fn: string | ((arg: any) => unknown), arg?: unknown): Promise<T> =>
    (typeof fn === "string" ? page.evaluate(fn) : page.evaluate(fn as (a: unknown) => unknown, arg)) as Promise<T>,
});
