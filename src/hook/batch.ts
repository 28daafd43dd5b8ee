/**
 * The hook's outgoing queue: events are posted as HookBatch messages on a short timer, so a burst of frames
 * costs one postMessage. Bounded: past `maxEvents` pending events new ones are counted, not kept, and the
 * count is reported as a `dropped` event (never a silent loss). A large pending volume of text is flushed early
 * instead of being held.
 */
import { HOOK_SOURCE, type HookBatch, type HookEvent } from "../core/capture/events";

export const FLUSH_MS = 50;
export const MAX_PENDING_EVENTS = 5000;
/** Pending text (frame text, URLs, error bodies) in UTF-16 units that triggers an immediate flush. */
export const MAX_PENDING_CHARS = 8 * 1024 * 1024;

export interface BatcherOptions {
  /** Random id of this document load. */
  doc: string;
  /** Delivers one batch (window.postMessage in the page). May throw; the events then count as dropped. */
  post: (batch: HookBatch) => void;
  /**
   * Delivers one batch synchronously (a DOM event the relay hears at once), for `pagehide`: a postMessage
   * queued while the document unloads is never delivered. Defaults to `post`.
   */
  postNow?: (batch: HookBatch) => void;
  /** Runs `fn` once after `ms` (a captured native setTimeout in the page). */
  schedule: (fn: () => void, ms: number) => void;
  now: () => number;
  flushMs?: number;
  maxEvents?: number;
  maxChars?: number;
}

export interface Batcher {
  push(event: HookEvent): void;
  /** Post whatever is pending now (timer, or a large backlog). */
  flush(): void;
  /** Deliver whatever is pending synchronously (the document is going away). */
  flushNow(): void;
}

/** Rough size of an event's strings, to bound what is held between flushes. */
function weight(e: HookEvent): number {
  switch (e.k) {
    case "ws-send":
    case "ws-recv":
      return "text" in e.frame ? e.frame.text.length : e.frame.head.length + e.frame.tail.length;
    case "http":
      return e.url.length + (e.authorization?.length ?? 0) + (e.errorBody?.length ?? 0);
    case "ws-new":
    case "installed":
      return e.url.length;
    default:
      return 0;
  }
}

export function createBatcher(opts: BatcherOptions): Batcher {
  const flushMs = opts.flushMs ?? FLUSH_MS;
  const maxEvents = opts.maxEvents ?? MAX_PENDING_EVENTS;
  const maxChars = opts.maxChars ?? MAX_PENDING_CHARS;
  let queue: HookEvent[] = [];
  let chars = 0;
  let dropped = 0;
  let seq = 0;
  let scheduled = false;

  const onTimer = (): void => {
    scheduled = false;
    flush();
  };
  const arm = (): void => {
    if (scheduled) return;
    scheduled = true;
    try {
      opts.schedule(onTimer, flushMs);
    } catch {
      scheduled = false;
    }
  };

  function flush(post: (batch: HookBatch) => void = opts.post): void {
    if (dropped > 0) {
      queue[queue.length] = { k: "dropped", t: opts.now(), count: dropped };
      dropped = 0;
    }
    if (queue.length === 0) return;
    const events = queue;
    queue = [];
    chars = 0;
    try {
      post({ source: HOOK_SOURCE, doc: opts.doc, seq: seq++, events });
    } catch {
      // Not delivered: report the loss in the next batch rather than lose it silently.
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        dropped += e.k === "dropped" ? e.count : 1;
      }
      arm();
    }
  }

  function push(event: HookEvent): void {
    if (queue.length >= maxEvents) {
      dropped++;
      arm();
      return;
    }
    queue[queue.length] = event;
    chars += weight(event);
    if (chars >= maxChars) flush();
    else arm();
  }

  return { push, flush: () => flush(), flushNow: () => flush(opts.postNow ?? opts.post) };
}
