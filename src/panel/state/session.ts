/**
 * Captured events → session model. The reducer lives in core; this module only feeds it incrementally and
 * applies the panel's own policies (preserve log, clear). Events stay in memory only: they carry tokens.
 */
import { computed, signal } from "@preact/signals";
import { emptySession, reduceSession } from "../../core/session/reduce";
import type { CapturedEvent, Session } from "../../core/session/types";
import type { BackgroundToPanel } from "../../extension/protocol";
import { imported } from "./imported";

/**
 * The panel's own bound on held events. Past it, the oldest TRIM go at once (one copy per 5,000 events, not
 * one per event), counted in `trimmed` and shown in a banner.
 */
export const PANEL_MAX_EVENTS = 50_000;
export const PANEL_TRIM = 5_000;

/** Every event the panel holds, in order (the export source). Not a signal: `session` announces changes. */
let held: CapturedEvent[] = [];
let lastN = -1;

/** The inspected tab's session, fed by the background (kept up to date while a file is shown). */
export const liveSession = signal<Session>(emptySession());
/** What every view shows: the imported file's session while one is open, else the live tab's. */
export const session = computed<Session>(() => imported.value?.session ?? liveSession.value);
/** From the latest backlog: did the hook run in the tab's current top document? null until known. */
export const hookSeen = signal<boolean | null>(null);
/** Keep events across navigations (DevTools' "Preserve log"). Off: a navigation clears what came before. */
export const preserveLog = signal(true);
/** Total events received, for the status line. */
export const eventCount = signal(0);
/** Events this panel let go to stay within PANEL_MAX_EVENTS (since the last clear). */
export const trimmed = signal(0);
/**
 * Older events the background's buffer let go while this panel was attached. The panel had already received
 * each of them, so its own list lost nothing; shown so that a reopened panel's gap is no surprise.
 */
export const backgroundEvicted = signal(0);

export function heldEvents(): readonly CapturedEvent[] {
  return held;
}

/** The events behind what is shown (the imported file's, or the live log): what Export and Copy report use. */
export function shownEvents(): readonly CapturedEvent[] {
  return imported.value?.events ?? held;
}

/** Apply one background message. Duplicate `n`s (a backlog after a port reconnect) are ignored. */
export function applyMessage(msg: BackgroundToPanel): void {
  if (msg.type === "hook") {
    hookSeen.value = msg.present || hookSeen.value === true;
    return;
  }
  if (msg.type === "backlog") hookSeen.value = msg.hookSeen;
  if (msg.type === "events" && typeof msg.evicted === "number" && msg.evicted > backgroundEvicted.value) {
    backgroundEvicted.value = msg.evicted;
  }
  const fresh = msg.events.filter((e) => typeof e?.n === "number" && e.n > lastN);
  if (fresh.length === 0) return;
  // The hook ran in a new top document (e.g. after "Reload to capture"): the page is visible now.
  if (fresh.some((e) => e.ev.k === "installed" && e.ev.top)) hookSeen.value = true;
  lastN = fresh[fresh.length - 1]!.n;
  ingest(fresh);
}

function ingest(fresh: CapturedEvent[]): void {
  if (!preserveLog.value) {
    let cut = -1;
    for (let i = fresh.length - 1; i >= 0; i--) {
      if (fresh[i]!.ev.k === "navigated") {
        cut = i;
        break;
      }
    }
    if (cut >= 0) {
      // A navigation with preserve-log off: start over from the marker (Network panel behaviour).
      held = fresh.slice(cut);
      trim();
      liveSession.value = reduceSession(emptySession(), held);
      eventCount.value = held.length;
      return;
    }
  }
  for (const e of fresh) held.push(e);
  trim();
  liveSession.value = reduceSession(liveSession.value, fresh);
  eventCount.value = held.length;
}

/** Keeps `held` within PANEL_MAX_EVENTS (the session model has its own bounds in core). */
function trim(): void {
  if (held.length <= PANEL_MAX_EVENTS) return;
  const cut = Math.max(PANEL_TRIM, held.length - PANEL_MAX_EVENTS);
  held = held.slice(cut);
  trimmed.value += cut;
}

/** Forget everything locally (the caller also tells the background). */
export function clearSession(): void {
  held = [];
  // The background may restart its numbering after a clear; accept whatever comes next.
  lastN = -1;
  liveSession.value = emptySession();
  eventCount.value = 0;
  trimmed.value = 0;
  backgroundEvicted.value = 0;
}
