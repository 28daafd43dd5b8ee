/**
 * Captured events → session model. The reducer lives in core; this module feeds it and applies the panel's own
 * policies (preserve log, clear, the held-events bound). Events stay in memory only: they carry tokens.
 *
 * While events pour in, the panel's thread must stay responsive (no task over 50 ms), so a port message only
 * queues its events: core's SessionBuilder reduces them in place in tasks of at most SLICE_MS (yielding between
 * them), and the session is published — one render — in its own task, at most every PUBLISH_EVERY_MS. Session
 * findings, which read only the steps added since (core's findings tracker), are refreshed in their own task at
 * most every FINDINGS_EVERY_MS and always once the flow stops, so the panel ends up showing exactly `reduceSession` of what
 * it received. (A findings worker fed the same events was tried: cloning every batch to it cost the panel's
 * thread more than the passes it saved — BENCHMARKS.md.)
 */
import { batch, computed, signal } from "@preact/signals";
import { SessionBuilder } from "../../core/session/builder";
import { emptySession } from "../../core/session/reduce";
import type { CapturedEvent, Session } from "../../core/session/types";
import type { BackgroundToPanel } from "../../extension/protocol";
import { eventChars } from "../../core/capture/chars";
import { imported } from "./imported";
import { yielder } from "./yielder";

/**
 * The panel's own bound on held events. Past it, the oldest TRIM go at once (one copy per 5,000 events, not
 * one per event), counted in `trimmed` and shown in a banner. Held events are in their stored form (core's
 * SessionBuilder: a Transition that changed no auth state keeps only its ends, about 200 characters), so
 * 100,000 of them fit well under 200 MB.
 */
export const PANEL_MAX_EVENTS = 100_000;
export const PANEL_TRIM = 5_000;
/**
 * The text held is bounded too (UTF-16 code units, counted as the background counts its buffer): frames the
 * diagnosis needs whole (tokens, queries, mutations, their responses) can be up to 64 KB each. Past it, the
 * oldest go until a tenth of it is free.
 */
export const PANEL_MAX_CHARS = 48_000_000;
/** Longest stretch of reducing in one task (ms) before the panel renders and yields to input. */
const SLICE_MS = 12;
/** Findings are recomputed at most this often while events keep arriving (ms). */
const FINDINGS_EVERY_MS = 250;
/** Events reduced between two looks at the clock. */
const STEP = 100;
/**
 * The session is published (the panel re-rendered) at most this often (ms): a render costs about what reducing a
 * 50 ms batch does, and five a second read as live. A hidden panel's timers may run later: nobody sees it then.
 */
const PUBLISH_EVERY_MS = 200;

/** Every event the panel holds, in order (the export source). Not a signal: `session` announces changes. */
let held: CapturedEvent[] = [];
/** Text of the held events already in their stored form (the reduced ones: `held` but for the queue's rest). */
let heldChars = 0;
/** Received and not yet reduced, from `queuedFrom` on. */
let queue: CapturedEvent[] = [];
let queuedFrom = 0;
let builder = new SessionBuilder();
let lastN = -1;
let trimmedCount = 0;
let findingsAt = -Infinity;
let publishedAt = -Infinity;

/** The inspected tab's session, fed by the background (kept up to date while a file is shown). */
export const liveSession = signal<Session>(emptySession());
/** What every view shows: the imported file's session while one is open, else the live tab's. */
export const session = computed<Session>(() => imported.value?.session ?? liveSession.value);
/** From the latest backlog: did the hook run in the tab's current top document? null until known. */
export const hookSeen = signal<boolean | null>(null);
/** Keep events across navigations (DevTools' "Preserve log"). Off: a navigation clears what came before. */
export const preserveLog = signal(true);
/** Events held, for the status line. */
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
  receive(fresh);
}

const waiters = new Set<() => void>();

/** Resolves once every event received so far is in the published session, findings included. */
export function sessionSettled(): Promise<void> {
  return new Promise((resolve) => {
    waiters.add(resolve);
    checkSettled();
  });
}

function checkSettled(): void {
  if (waiters.size === 0 || reducing.pending || publishing.pending || queue.length > 0) return;
  if (builder.stale || findings.pending) return;
  for (const w of waiters) w();
  waiters.clear();
}

function receive(fresh: CapturedEvent[]): void {
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
      startOver();
      fresh = fresh.slice(cut);
    }
  }
  for (const e of fresh) {
    held.push(e);
    queue.push(e);
  }
  trim();
  reducing.schedule();
}

/** One task: reduce queued events for at most SLICE_MS, and come back if some are left; publishing is its own task. */
const reducing = yielder(() => {
  const start = performance.now();
  while (queuedFrom < queue.length && performance.now() - start < SLICE_MS) {
    const end = Math.min(queue.length, queuedFrom + STEP);
    hold(queuedFrom, builder.add(queue.slice(queuedFrom, end)));
    queuedFrom = end;
  }
  trim();
  if (queuedFrom === queue.length) {
    queue = [];
    queuedFrom = 0;
  } else reducing.schedule();
  publishing.scheduleAfter(publishedAt + PUBLISH_EVERY_MS - performance.now());
  if (builder.stale) findings.scheduleAfter(findingsAt + FINDINGS_EVERY_MS - performance.now());
});

/** Its own task: the findings brought up to date with the steps added since (published with the next render). */
const findings = yielder(() => {
  builder.refreshFindings();
  findingsAt = performance.now();
  publishing.scheduleAfter(publishedAt + PUBLISH_EVERY_MS - performance.now());
});

const publishing = yielder(publish);

/** The session as the builder has it now (with the newest findings) → the signals the views read: one render. */
function publish(): void {
  publishedAt = performance.now();
  batch(() => {
    liveSession.value = builder.snapshot();
    eventCount.value = held.length;
    trimmed.value = trimmedCount;
  });
  checkSettled();
}

/**
 * Puts the builder's stored forms of queue[from…] in their places in `held`. The queue's unreduced events are
 * always the last ones of `held` (both grow together; trimming only cuts `held`'s front), so queue index k sits
 * at held index `held.length - queue.length + k`, unless the bound has already let it go.
 */
function hold(from: number, stored: readonly CapturedEvent[]): void {
  const at = held.length - queue.length + from;
  for (let j = Math.max(0, -at); j < stored.length; j++) {
    held[at + j] = stored[j]!;
    heldChars += eventChars(stored[j]!.ev);
  }
}

/**
 * Keeps `held` within PANEL_MAX_EVENTS and PANEL_MAX_CHARS (the session model has its own bounds in core).
 * Only reduced events count towards the text (a whole Transition waiting in the queue is about to shrink).
 */
function trim(): void {
  const over = held.length - PANEL_MAX_EVENTS;
  if (over <= 0 && heldChars <= PANEL_MAX_CHARS) return;
  const reduced = Math.max(0, held.length - (queue.length - queuedFrom));
  let cut = over > 0 ? Math.min(held.length, Math.max(PANEL_TRIM, over)) : 0;
  let freed = 0;
  for (let i = 0; i < Math.min(cut, reduced); i++) freed += eventChars(held[i]!.ev);
  while (cut < reduced && heldChars - freed > PANEL_MAX_CHARS * 0.9) freed += eventChars(held[cut++]!.ev);
  held = held.slice(cut);
  heldChars -= freed;
  trimmedCount += cut;
}

function startOver(): void {
  held = [];
  heldChars = 0;
  queue = [];
  queuedFrom = 0;
  builder = new SessionBuilder();
}

/** Forget everything locally (the caller also tells the background). */
export function clearSession(): void {
  startOver();
  // The background may restart its numbering after a clear; accept whatever comes next.
  lastN = -1;
  trimmedCount = 0;
  backgroundEvicted.value = 0;
  publish();
}
