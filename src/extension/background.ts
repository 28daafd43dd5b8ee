/**
 * Background (MV3 service worker in Chrome, event page in Firefox): relay ports in, panel ports out, one
 * bounded buffer per tab. The browser may stop it at any time; everything is rebuilt from relay replays, and
 * a counts-only note in storage.session reports what could not be rebuilt.
 */
import browser from "webextension-polyfill";
import type { Runtime } from "webextension-polyfill";
import type { CapturedEvent } from "../core/session/types";
import { RELAY_PORT } from "./protocol";
import type { BackgroundToPanel, BackgroundToRelay, HookPresence, PanelToBackground } from "./protocol";
import { panelTab, relayOrigin, type Self } from "./senders";
import { NOTE_KEY, parseNote } from "./lost-note";
import { Router } from "./router";

/** Relays reconnect within ~50 ms of a restart; after this, documents that did not come back are gone. */
const SETTLE_MS = 1500;
const NOTE_WRITE_MS = 250;
/** A relay that does not answer within this is no relay (the page predates the extension, or no hook). */
const PROBE_MS = 1000;
/** Backlogs go out in slices so one message stays far below the 64 MiB port limit. */
const SLICE_EVENTS = 1000;

const epoch = crypto.randomUUID();
const router = new Router(epoch);
const self: Self = { id: browser.runtime.id, base: browser.runtime.getURL("/") };
/**
 * Panel ports per tab; a port gets live events only after its hello was answered (keeps order). `evictedAt`:
 * the tab buffer's eviction count when its backlog went out (what was let go after that, it already has).
 */
const panels = new Map<number, Map<Runtime.Port, { ready: boolean; evictedAt: number }>>();
/** Relay ports per tab (relays reconnect lazily, so a tab may have none after a restart). */
const relays = new Map<number, Set<Runtime.Port>>();

/** Asks every frame's relay in a tab to connect and replay (no-op for frames without one). */
function wakeRelays(tabId: number): void {
  const msg: BackgroundToRelay = { type: "cai-relay-reconnect" };
  browser.tabs.sendMessage(tabId, msg).catch(() => {
    // No relay in that tab (closed, not an http(s) page, or loaded before the extension).
  });
}

// storage.session is memory-only and survives worker restarts (not browser restarts): right for a count.
const session = (browser.storage as unknown as { session?: typeof browser.storage.local }).session;

const restored = (async () => {
  try {
    const got = session ? await session.get(NOTE_KEY) : {};
    const note = parseNote(got[NOTE_KEY]);
    router.restore(note);
    // The previous life's tabs: their live documents replay now, so only gone ones count as lost.
    for (const id of Object.keys(note?.tabs ?? {})) wakeRelays(Number(id));
  } catch {
    router.restore(null);
  }
  setTimeout(() => {
    for (const [tabId, evs] of router.settleLoss()) fanOut(tabId, evs);
    scheduleNote();
  }, SETTLE_MS);
})();

let noteTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleNote(): void {
  if (noteTimer || !session) return;
  noteTimer = setTimeout(() => {
    noteTimer = null;
    session.set({ [NOTE_KEY]: router.note() }).catch(() => {});
  }, NOTE_WRITE_MS);
}

function send(port: Runtime.Port, msg: BackgroundToPanel): void {
  try {
    port.postMessage(msg);
  } catch {
    // A closed panel: its onDisconnect removes it.
  }
}

function fanOut(tabId: number, events: CapturedEvent[]): void {
  if (events.length === 0) return;
  const ports = panels.get(tabId);
  if (!ports) return;
  const evicted = router.evicted(tabId);
  for (const [port, st] of ports) {
    if (!st.ready) continue;
    const n = evicted - st.evictedAt;
    send(port, n > 0 ? { type: "events", events, epoch, evicted: n } : { type: "events", events, epoch });
  }
}

/**
 * Asks the tab's top-frame relay whether the hook took the page channel. Pages without Convex traffic never
 * report themselves, so this is how the panel tells "no Convex yet" from "loaded before the extension".
 */
async function probeHook(tabId: number): Promise<boolean> {
  const msg: BackgroundToRelay = { type: "cai-hook-present" };
  const timeout = new Promise<undefined>((r) => setTimeout(r, PROBE_MS, undefined));
  try {
    const answer = (await Promise.race([browser.tabs.sendMessage(tabId, msg, { frameId: 0 }), timeout])) as HookPresence | undefined;
    return answer?.hook === true;
  } catch {
    return false; // no relay in the top frame
  }
}

function onRelay(port: Runtime.Port): void {
  const from = relayOrigin(port.sender, self);
  if (!from) return port.disconnect();
  const { tabId, frame } = from;
  let ports = relays.get(tabId);
  if (!ports) relays.set(tabId, (ports = new Set()));
  ports.add(port);
  port.onDisconnect.addListener(() => {
    ports.delete(port);
    if (ports.size === 0) relays.delete(tabId);
  });
  port.onMessage.addListener(async (msg: unknown) => {
    await restored; // the note must be loaded before replays are counted
    const added = router.ingest(tabId, frame, msg);
    fanOut(tabId, added);
    if (added.length > 0) scheduleNote();
  });
}

function onPanel(port: Runtime.Port, tabId: number): void {
  let ports = panels.get(tabId);
  if (!ports) panels.set(tabId, (ports = new Map()));
  const st = { ready: false, evictedAt: 0 };
  ports.set(port, st);
  port.onMessage.addListener(async (raw: unknown) => {
    await restored;
    const msg = raw as PanelToBackground;
    if (msg?.type === "hello") {
      // After a restart the tab's relays are quiet until asked; their replays then arrive as live events.
      if (!relays.has(tabId)) wakeRelays(tabId);
      const hook = router.hookSeen(tabId) || (await probeHook(tabId));
      const b = router.backlog(tabId, Number(msg.after), msg.epoch);
      if (b.type !== "backlog") return;
      st.evictedAt = router.evicted(tabId);
      send(port, { ...b, hookSeen: b.hookSeen || hook, events: b.events.slice(0, SLICE_EVENTS) });
      for (let j = SLICE_EVENTS; j < b.events.length; j += SLICE_EVENTS) {
        send(port, { type: "events", events: b.events.slice(j, j + SLICE_EVENTS), epoch });
      }
      st.ready = true;
    } else if (msg?.type === "clear") {
      router.clear(tabId);
      scheduleNote();
    } else if (msg?.type === "probe") {
      send(port, { type: "hook", present: router.hookSeen(tabId) || (await probeHook(tabId)) });
    }
  });
  port.onDisconnect.addListener(() => {
    ports.delete(port);
    if (ports.size === 0) panels.delete(tabId);
  });
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT) return onRelay(port);
  // Only our own pages get a panel port: a content script picking a panel's name is refused.
  const tabId = panelTab(port.name, port.sender, self);
  if (tabId !== null) return onPanel(port, tabId);
  port.disconnect();
});

browser.tabs.onRemoved.addListener((tabId) => {
  router.closeTab(tabId);
  relays.delete(tabId);
  scheduleNote();
});

/** For tests and debugging from the worker's console: sizes and counters only, never events. */
(globalThis as Record<string, unknown>).__caiBackground = {
  epoch,
  stats: () => router.stats(),
  panels: () => [...panels].map(([tabId, p]) => ({ tabId, ports: p.size })),
  relays: () => [...relays].map(([tabId, p]) => ({ tabId, ports: p.size })),
};
