/**
 * Firefox ESR with an unpacked add-on folder (the unzipped store package), for package.test.ts. Extension pages
 * are opened through Firefox's own remote debugging protocol (RDP, what about:debugging and web-ext use)
 * instead of BiDi's chrome scope: Firefox ESR 140 — the Firefox installed here — ignores `moz:scope: "chrome"`
 * (chrome contexts came to BiDi in later releases). The add-on is installed over BiDi; RDP then evaluates in the
 * add-on's background: `tabs.create` for an extension page, as the add-on itself would, and the background's
 * debug view for a page's tab id. Nothing here is specific to the package: once firefox.ts's launcher takes a
 * folder and works on ESR 140, this file can go.
 * The RDP transport is web-ext's client (a declared devDependency, imported by path: web-ext exports no API
 * for it); events that answer no request (`target-available-form`, `evaluationResult`) are routed here.
 */
import { createServer } from "node:net";
import { resolve } from "node:path";
import puppeteer from "puppeteer-core";
import type { Browser, Page } from "puppeteer-core";
// @ts-expect-error: web-ext ships no type declarations
import FirefoxRDPClient from "../../node_modules/web-ext/lib/firefox/rdp-client.js";
import { FIREFOX } from "./firefox.ts";

export interface PackagedAddon {
  browser: Browser;
  addonId: string;
  /** moz-extension://<uuid>/ */
  base: string;
  /** What RDP lists for the add-on once installed: RUNNING when its background (event page) is up. */
  backgroundScriptStatus: string;
  /** The WebExtension tab id of the tab showing `url`, from the background's own records. */
  tabIdOf(url: string): Promise<number>;
  /** Opens an extension page (path under the add-on root) in a new tab; resolves with its Page. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

interface RdpMessage {
  from: string;
  type?: string;
  [key: string]: unknown;
}
interface RdpClient {
  connect(port: number): Promise<unknown>;
  request(req: { to: string; type: string; [key: string]: unknown }): Promise<RdpMessage>;
  disconnect(): void;
  _handleMessage(m: RdpMessage): void;
}

/** A free TCP port on loopback (the debugger server needs one before Firefox starts). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** The tab showing extension page `url` (puppeteer reports such tabs' url() as about:blank: ask each page). */
async function pageShowing(browser: Browser, url: string): Promise<Page> {
  const end = Date.now() + 10_000;
  while (Date.now() <= end) {
    const pages = await browser.pages();
    const hrefs = await Promise.all(pages.map((p) => p.evaluate(() => location.href).catch(() => "")));
    const i = hrefs.indexOf(url);
    if (i >= 0) return pages[i]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the extension page ${url} did not appear`);
}

export async function launchPackagedAddon(addonDir: string): Promise<PackagedAddon> {
  const port = await freePort();
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    args: ["--start-debugger-server", String(port)],
    extraPrefsFirefox: {
      "devtools.debugger.remote-enabled": true,
      "devtools.chrome.enabled": true,
      "devtools.debugger.prompt-connection": false,
    },
  });
  const rdp = new FirefoxRDPClient() as RdpClient;
  try {
    const addonId = await browser.installExtension(resolve(addonDir));
    // Events that answer no request: frame targets (sent before watchTargets' reply) and evaluation results
    // (which can arrive in the same read as evaluateJSAsync's reply, before anyone waits for them).
    const targetForms: { url: string; consoleActor: string }[] = [];
    const results = new Map<string, RdpMessage>();
    const waiting = new Map<string, (m: RdpMessage) => void>();
    const handle = rdp._handleMessage.bind(rdp);
    rdp._handleMessage = (m) => {
      if (m.type === "target-available-form") targetForms.push(m.target as { url: string; consoleActor: string });
      else if (m.type === "evaluationResult") {
        const id = String(m.resultID);
        const w = waiting.get(id);
        if (w) w(m);
        else results.set(id, m);
      } else handle(m);
    };
    const resultOf = (id: string) =>
      results.has(id) ? Promise.resolve(results.get(id)!) : new Promise<RdpMessage>((ok) => waiting.set(id, ok));
    await rdp.connect(port);

    const { addons } = (await rdp.request({ to: "root", type: "listAddons" })) as unknown as {
      addons: { actor: string; id: string; backgroundScriptStatus: string; manifestURL: string }[];
    };
    const addon = addons.find((a) => a.id === addonId);
    if (!addon) throw new Error(`RDP does not list the add-on ${addonId}`);
    const status = { backgroundScriptStatus: addon.backgroundScriptStatus, base: addon.manifestURL.replace(/manifest\.json$/, "") };

    // The add-on's frame targets (its background page among them) arrive as events while watchTargets runs.
    const watcher = (await rdp.request({ to: addon.actor, type: "getWatcher" })).actor as string;
    await rdp.request({ to: watcher, type: "watchTargets", targetType: "frame" });
    const background = targetForms.find((t) => t.url.startsWith(status.base));
    if (!background) throw new Error(`no background target for ${addonId}: ${targetForms.map((t) => t.url).join(", ")}`);

    /** Evaluates `text` in the background page; resolves with its completion value (primitives only). */
    const inBackground = async (text: string): Promise<unknown> => {
      const { resultID } = (await rdp.request({ to: background.consoleActor, type: "evaluateJSAsync", text })) as unknown as { resultID: string };
      const done = await resultOf(String(resultID));
      if (done.exception) throw new Error(`background evaluation failed: ${JSON.stringify(done.exceptionMessage ?? done.exception)}`);
      return done.result;
    };

    const openExtensionPage = async (path: string): Promise<Page> => {
      await inBackground(`void browser.tabs.create({ url: browser.runtime.getURL(${JSON.stringify(path)}) })`);
      return pageShowing(browser, status.base + path);
    };

    return {
      browser,
      addonId,
      base: status.base,
      backgroundScriptStatus: status.backgroundScriptStatus,
      openExtensionPage,
      // The background knows each tab's top URL from the hook's `installed` event (its debug view; no `tabs`
      // permission), as the Chromium fixtures' tabIdOf reads it.
      async tabIdOf(url) {
        const end = Date.now() + 10_000;
        for (;;) {
          const ids = JSON.parse(
            String(await inBackground(`JSON.stringify(__caiBackground.stats().filter((s) => s.topUrl === ${JSON.stringify(url)}).map((s) => s.tabId))`)),
          ) as number[];
          if (ids.length === 1) return ids[0]!;
          if (ids.length > 1 || Date.now() > end) throw new Error(`expected one tab for ${url} in the background, found ${ids.length}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async close() {
        rdp.disconnect();
        await browser.close();
      },
    };
  } catch (e) {
    rdp.disconnect();
    await browser.close();
    throw e;
  }
}
