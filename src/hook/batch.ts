/**
 * The hook's outgoing queue: events are appended as records to one flat array (HookRecordBatch) and posted on
 * a short timer, so a burst of frames costs one postMessage and a frame costs a few array appends. Bounded: past
 * `maxEvents` pending events new ones are counted, not kept, and the count is reported as a `dropped` event
 * (never a silent loss). A large pending volume of text is flushed early instead of being held.
 */
import { HOOK_SOURCE, REC_EVENT, type HookEvent, type HookRecordBatch } from "../core/capture/events";
import { appendFrame, binarySize } from "./frame";
import { bareArray } from "./safe";

export const FLUSH_MS = 50;
/** The shortest wait before a flush where the page's idle time is used (see install.ts). */
export const FLUSH_MIN_MS = 20;
export const MAX_PENDING_EVENTS = 5000;
/** Pending text (frame text, URLs, error bodies) in UTF-16 units that triggers an immediate flush. */
export const MAX_PENDING_CHARS = 8 * 1024 * 1024;

export interface BatcherOptions {
  /** Random id of this document load. */
  doc: string;
  /** Delivers one batch (the private MessagePort in the page). May throw; the events then count as dropped. */
  post: (batch: HookRecordBatch) => void;
  /**
   * Delivers one batch synchronously (a DOM event the relay hears at once), for `pagehide`: a port message
   * queued while the document unloads is never delivered. Defaults to `post`.
   */
  postNow?: (batch: HookRecordBatch) => void;
  /** Runs `fn` once, within `ms` (the page's idle time, or a captured native setTimeout). */
  schedule: (fn: () => void, ms: number) => void;
  now: () => number;
  flushMs?: number;
  maxEvents?: number;
  maxChars?: number;
}

export interface Batcher {
  /** Records an event given as an object (the rare kinds: sockets opening and closing, HTTP calls). */
  push(event: HookEvent): void;
  /** Records a sent or received frame of sync socket `ws` from its payload (see appendFrame). */
  frame(send: boolean, ws: number, data: unknown): void;
  /** Post whatever is pending now (timer, or a large backlog). */
  flush(): void;
  /** Deliver whatever is pending synchronously (the document is going away). */
  flushNow(): void;
}

/** Rough size of an event object's strings, to bound what is held between flushes. */
function weight(e: HookEvent): number {
  switch (e.k) {
    case "http":
      return e.url.length + (e.authorization?.length ?? 0) + (e.errorBody?.length ?? 0);
    case "ws-new":
    case "installed":
      return e.url.length;
    case "ws-close":
      return e.reason.length;
    default:
      return 0;
  }
}

/** Whether appendFrame would record `data` (for counting a frame past the bound as dropped). */
const recordable = (data: unknown): boolean =>
  (typeof data !== "object" && typeof data !== "function" && typeof data !== "symbol") || data === null || binarySize(data) !== undefined;

export function createBatcher(opts: BatcherOptions): Batcher {
  const flushMs = opts.flushMs ?? FLUSH_MS;
  const maxEvents = opts.maxEvents ?? MAX_PENDING_EVENTS;
  const maxChars = opts.maxChars ?? MAX_PENDING_CHARS;
  let rec: HookRecordBatch["rec"] = bareArray();
  let n = 0;
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
  const added = (c: number): void => {
    n++;
    chars += c;
    if (chars >= maxChars) flush();
    else arm();
  };

  function flush(post: (batch: HookRecordBatch) => void = opts.post): void {
    const lost = dropped;
    if (lost > 0) {
      rec[rec.length] = REC_EVENT;
      rec[rec.length] = { k: "dropped", t: opts.now(), count: lost };
      n++;
      dropped = 0;
    }
    if (n === 0) return;
    const batch: HookRecordBatch = { source: HOOK_SOURCE, doc: opts.doc, seq: seq++, n, rec };
    rec = bareArray();
    n = 0;
    chars = 0;
    try {
      post(batch);
    } catch {
      // Not delivered: report the loss in the next batch rather than lose it silently.
      dropped += lost > 0 ? batch.n - 1 + lost : batch.n;
      arm();
    }
  }

  function push(event: HookEvent): void {
    if (n >= maxEvents) {
      dropped++;
      return arm();
    }
    rec[rec.length] = REC_EVENT;
    rec[rec.length] = event;
    added(weight(event));
  }

  function frame(send: boolean, ws: number, data: unknown): void {
    if (n >= maxEvents) {
      if (recordable(data)) dropped++;
      return arm();
    }
    const c = appendFrame(rec, send, opts.now(), ws, data);
    if (c >= 0) added(c);
  }

  return { push, frame, flush: () => flush(), flushNow: () => flush(opts.postNow ?? opts.post) };
}
