/**
 * Real Chromium for the hook's tests. The hook is built to one IIFE with esbuild at test time and installed
 * with page.addInitScript (standing in for the manifest's MAIN-world document_start content script). A second
 * init script, run right after it, stands in for the relay: it offers the hook the private MessagePort on
 * `document.fonts` (exactly as relay.iife.ts does) and hands every batch from that port (and the synchronous
 * pagehide batch dispatched on it) to an exposed function.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { CHANNEL_EVENT, UNLOAD_EVENT, type HookBatch, type HookEvent, type HookPost } from "../../../../src/core/capture/events.ts";
import { eventsOfRecords } from "../../../../src/core/capture/records.ts";
// The shared flags already map the deployment-like names (*.convex.cloud, *.convex.site) to 127.0.0.1.
import { CHROMIUM, CHROMIUM_FLAGS } from "../../support/chromium.ts";

export { CHROMIUM_FLAGS };

const ENTRY = fileURLToPath(new URL("../../../../src/hook/hook.iife.ts", import.meta.url));
let built: Promise<string> | undefined;

/** The hook as the single self-contained script the extension ships (built once per test process). */
export function hookScript(): Promise<string> {
  built ??= build({ entryPoints: [ENTRY], bundle: true, format: "iife", write: false, logLevel: "silent" }).then((r) => {
    const out = r.outputFiles[0];
    if (!out) throw new Error("esbuild produced no output for the hook");
    return out.text;
  });
  return built;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** Runs in every frame after the hook, like the relay: offers the channel and forwards what comes through it. */
const CAPTURE = `(() => {
  const ch = new MessageChannel();
  const offer = new MessageEvent(${JSON.stringify(CHANNEL_EVENT)}, { ports: [ch.port2], cancelable: true });
  if (document.fonts.dispatchEvent(offer)) return; // not taken: no hook in this run
  // Playwright's binding serializes its argument with the page's JSON.stringify: a page-defined
  // Object.prototype.toJSON (a capture test defines one) is set aside for that call only.
  const P = Object.prototype;
  // __caiForwarding: the stand-in runs in the page's world (the real relay has its own), so a test's patched
  // built-ins can tell its work (Playwright's binding) from the hook's.
  const forward = (data) => {
    const d = Object.getOwnPropertyDescriptor(P, "toJSON");
    if (d) delete P.toJSON;
    window.__caiForwarding = true;
    try { window.__hookBatch(data); } finally { window.__caiForwarding = false; if (d) Object.defineProperty(P, "toJSON", d); }
  };
  ch.port1.onmessage = (e) => forward(e.data);
  ch.port2.addEventListener(${JSON.stringify(UNLOAD_EVENT)}, (e) => {
    if (typeof e.detail === "string") window.__hookBatch(JSON.parse(e.detail));
  });
})();`;

/** A batch as posted, with its events decoded; `form` says which form crossed the channel. */
export type CapturedBatch = HookBatch & { form: "records" | "json" | "events" };

export interface Captured {
  batches: CapturedBatch[];
  /** Every event of every batch, in posting order. */
  events(): HookEvent[];
  /** Events of one kind. */
  of<K extends HookEvent["k"]>(k: K): Extract<HookEvent, { k: K }>[];
}

export interface HookPage {
  context: BrowserContext;
  page: Page;
  captured: Captured;
}

/**
 * A fresh context and page. With `hook: false` the same capture listener is installed (so both runs expose the
 * same globals) but no hook: the baseline for invisibility comparisons.
 */
export async function openPage(browser: Browser, opts: { hook: boolean }): Promise<HookPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const batches: CapturedBatch[] = [];
  // The hook posts records (HookRecordBatch), decoded here as the background does (unvalidated).
  await page.exposeFunction("__hookBatch", (b: HookPost) => {
    const { source, doc, seq } = b;
    if ("rec" in b) {
      const events = eventsOfRecords(b.rec, b.n);
      if (!events) throw new Error(`records are not ${b.n} events: ${JSON.stringify(b.rec).slice(0, 200)}`);
      batches.push({ source, doc, seq, events: events as HookEvent[], form: "records" });
    } else if ("json" in b) batches.push({ source, doc, seq, events: JSON.parse(b.json) as HookEvent[], form: "json" });
    else batches.push({ ...b, form: "events" });
  });
  if (opts.hook) await page.addInitScript({ content: await hookScript() });
  await page.addInitScript({ content: CAPTURE });
  const events = (): HookEvent[] => batches.flatMap((b) => b.events);
  return {
    context,
    page,
    captured: {
      batches,
      events,
      of: <K extends HookEvent["k"]>(k: K) => events().filter((e): e is Extract<HookEvent, { k: K }> => e.k === k),
    },
  };
}
