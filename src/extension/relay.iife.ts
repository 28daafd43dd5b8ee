/**
 * Content relay (ISOLATED world, document_start, all frames): page hook batches → background port.
 * Must be a self-contained IIFE (the `.iife.ts` name): crxjs's async loader would run it late, after page
 * scripts, and the private channel's handover would then be visible to the page.
 *
 * The hook's batches come only through the private MessagePort handed over here (see CHANNEL_EVENT); nothing
 * on `window` is listened to. The background is connected only on the first batch, so a page without Convex
 * traffic is never reported; the panel asks this relay whether the hook is present (`cai-hook-present`).
 *
 * It runs at document_start in every frame of every page, so it uses the `chrome.runtime` namespace directly
 * (Chrome, and Firefox's alias of `browser`) rather than bundling webextension-polyfill: evaluating the
 * polyfill cost every page, with or without Convex, script time for nothing (issue 9). Only synchronous and
 * callback forms are used (connect, port messages, sendResponse), which behave alike in both browsers.
 */
import { CHANNEL_EVENT, HOOK_SOURCE, UNLOAD_EVENT, type HookBatch, type HookPost, type HookRecordBatch } from "../core/capture/events";
import { RELAY_PORT } from "./protocol";
import type { BackgroundToRelay, HookPresence, RelayToBackground } from "./protocol";
import { ReplayLog, type Chunk } from "./replay-log";
import { batchEnvelope } from "./validate";

/** The unload batch is parsed here, so bound it like the hook bounds what it holds (8 Mi chars of text). */
const MAX_UNLOAD_BATCH_CHARS = 16 * 1024 * 1024;

const log = new ReplayLog();
let doc: string | null = null;
let seq = 0;
let port: chrome.runtime.Port | null = null;
let stopped = false;
/** The page channel: our end, and the end handed to the hook (the unload event is dispatched on it). */
const channel = new MessageChannel();
let hookPresent = false;

/** The extension was reloaded or removed: this script's APIs are gone for good. */
function contextGone(): boolean {
  try {
    return !chrome.runtime?.id;
  } catch {
    return true;
  }
}

function stop(): void {
  stopped = true;
  port = null;
  channel.port1.onmessage = null;
  channel.port2.removeEventListener(UNLOAD_EVENT, onUnloadBatch);
  try {
    chrome.runtime.onMessage.removeListener(onBackgroundMessage);
  } catch {
    // the context is gone
  }
}

function post(chunks: Chunk[]): void {
  if (!port || !doc) return;
  for (const c of chunks) {
    // Unvalidated events (the background validates them): typed as the contract they should meet.
    const head = { source: HOOK_SOURCE, doc, seq: seq++ } as const;
    const batch: HookPost =
      "json" in c
        ? { ...head, n: c.n, json: c.json }
        : "rec" in c
          ? { ...head, n: c.n, rec: c.rec as HookRecordBatch["rec"] }
          : { ...head, events: c.events as HookBatch["events"] };
    const msg: RelayToBackground = { type: "batch", batch, first: c.first };
    try {
      port.postMessage(msg);
    } catch {
      // The port died: the next batch, or the restarted worker's wake-up, reconnects and replays.
      port = null;
      return;
    }
  }
}

/**
 * Connects and replays everything held (the background drops what it already has). Called lazily: on the
 * next batch after a disconnect, or when a restarted background asks for it.
 */
function connect(): void {
  if (stopped || port) return;
  if (contextGone()) return stop();
  let p: chrome.runtime.Port;
  try {
    p = chrome.runtime.connect({ name: RELAY_PORT });
  } catch {
    return stop(); // "Extension context invalidated"
  }
  port = p;
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
    // Extension reloaded or removed: stop for good. Otherwise the worker was stopped (idle ~30 s, or killed);
    // stay quiet until there is something to send or the new worker asks, so the idle kill sticks.
    if (contextGone()) stop();
  });
  post(log.replayAll());
}

/** Answers synchronously through `sendResponse` (a returned Promise is not honoured by every Chrome). */
function onBackgroundMessage(msg: unknown, _sender: unknown, sendResponse: (r: HookPresence) => void): false {
  const type = (msg as BackgroundToRelay | null)?.type;
  if (type === "cai-relay-reconnect" && doc !== null) connect();
  // Asked of the top frame only (frameId 0): answering reveals nothing to the page.
  if (type === "cai-hook-present") sendResponse({ hook: hookPresent, traffic: doc !== null });
  return false;
}

/** The hook's last batch at `pagehide` comes as a DOM event with a JSON string: it is heard synchronously. */
function onUnloadBatch(e: Event): void {
  const detail = (e as CustomEvent<unknown>).detail;
  if (typeof detail !== "string" || detail.length > MAX_UNLOAD_BATCH_CHARS) return;
  let data: unknown;
  try {
    data = JSON.parse(detail);
  } catch {
    return;
  }
  onBatch(data);
}

/**
 * This runs on the page's thread: only the envelope is checked here and the events are kept as they came; the
 * background validates each one (and counts the invalid ones as dropped, keeping every index).
 */
function onBatch(data: unknown): void {
  const v = batchEnvelope(data);
  if (!v.ok) {
    if (doc) log.add([{ k: "dropped", t: Date.now(), count: 1 }]);
    else return; // garbage before any real batch: nothing to attach a count to yet
  } else {
    if (doc === null) doc = v.doc;
    else if (v.doc !== doc) {
      // Someone else posting with our tag and another doc id: count, never mix documents.
      log.add([{ k: "dropped", t: Date.now(), count: v.n }]);
      return flush();
    }
    log.add(v.events, v.n, v.records);
  }
  flush();
}

function flush(): void {
  const lost = log.takeLost();
  if (lost > 0) log.add([{ k: "dropped", t: Date.now(), count: lost }]);
  if (!port) connect();
  else post(log.takeUnsent());
}

/**
 * Hands one port to the hook. The hook ran just before this script (manifest order) and cancels the event when
 * it takes the port; no page script has run yet. Not taken: no hook in this document, nothing to relay.
 */
function offerChannel(): void {
  const fonts = document.fonts as EventTarget | undefined;
  if (!fonts) return;
  const offer = new MessageEvent(CHANNEL_EVENT, { ports: [channel.port2], cancelable: true });
  hookPresent = !fonts.dispatchEvent(offer);
  if (!hookPresent) return channel.port1.close();
  channel.port1.onmessage = (e: MessageEvent) => onBatch(e.data);
  channel.port2.addEventListener(UNLOAD_EVENT, onUnloadBatch);
}

offerChannel();
chrome.runtime.onMessage.addListener(onBackgroundMessage);
