/**
 * The relay's bounded copy of this document's events. It is both the send queue while the port is down and
 * the replay source after a reconnect: a restarted background worker has lost its buffer, so the relay
 * re-sends what it still holds and the background drops the indexes it already has.
 *
 * The relay runs on the page's thread, so this holds the hook's batches as they came (segments), unvalidated
 * and uncopied: an append is one push (plus, for the array form, a size sum without allocation), and a send
 * hands a segment's own JSON text or array to the port. Events are numbered in arrival order; the background
 * validates them and keeps each index even for events it refuses. A JSON segment is never split: it is sent,
 * and trimmed, whole (the hook's own bounds keep it far below a port message's limit).
 */
import { eventChars, recordChars } from "../core/capture/chars";

export const REPLAY_MAX_EVENTS = 5_000;
export const REPLAY_MAX_CHARS = 8_000_000;
/** One port message stays well under Chrome's 64 MiB message limit. */
export const CHUNK_MAX_EVENTS = 500;
export const CHUNK_MAX_CHARS = 4_000_000;

/** Per-document index of the first event; the rest follow consecutively. */
export type Chunk = { first: number; events: unknown[] } | { first: number; json: string; n: number } | { first: number; rec: unknown[]; n: number };

interface Segment {
  /** Index of the first event. */
  first: number;
  /** The events, or their JSON text or their records (`n` of them). */
  events: unknown[] | string;
  /** `events` holds a HookRecordBatch's records (sent and trimmed whole, like JSON text). */
  records: boolean;
  n: number;
  /** events[start..] are live (the older ones were trimmed). */
  start: number;
  /** eventChars of the live events. */
  chars: number;
}

export class ReplayLog {
  private segments: Segment[] = [];
  private live = 0;
  private chars = 0;
  private nextI = 0;
  /** Highest index handed to the current port (-1: nothing yet). */
  private sentUpTo = -1;
  /** Events trimmed before they were ever sent (reported as a `dropped` event). */
  private lost = 0;

  constructor(
    private readonly maxEvents = REPLAY_MAX_EVENTS,
    private readonly maxChars = REPLAY_MAX_CHARS,
  ) {}

  get size(): number {
    return this.live;
  }

  /**
   * Appends a batch's events as they are (assigning indexes) and trims the oldest beyond the bounds. `n`: the
   * number of events in a JSON text or in records (`records`).
   */
  add(events: unknown[] | string, n = typeof events === "string" ? 0 : events.length, records = false): void {
    if (n === 0) return;
    let chars = 0;
    if (typeof events === "string") chars = events.length;
    else if (records) chars = recordChars(events);
    else for (let j = 0; j < n; j++) chars += eventChars(events[j]);
    this.segments.push({ first: this.nextI, events, n, start: 0, chars, records });
    this.nextI += n;
    this.live += n;
    this.chars += chars;
    while (this.live > 1 && (this.live > this.maxEvents || this.chars > this.maxChars)) {
      const s = this.segments[0]!;
      if (typeof s.events === "string" || s.records) {
        if (this.segments.length === 1) break; // the newest batch stays, whatever its size
        this.segments.shift();
        this.live -= s.n;
        this.chars -= s.chars;
        if (s.first + s.n - 1 > this.sentUpTo) this.lost += s.first + s.n - 1 - Math.max(this.sentUpTo, s.first - 1);
        continue;
      }
      const c = eventChars(s.events[s.start]);
      s.chars -= c;
      this.chars -= c;
      this.live--;
      if (s.first + s.start > this.sentUpTo) this.lost++;
      if (++s.start === s.n) this.segments.shift();
    }
  }

  /** A loss to report, once: the caller adds it as a `dropped` event. */
  takeLost(): number {
    const n = this.lost;
    this.lost = 0;
    return n;
  }

  /** Events not yet given to the current port, in chunks; marks them sent. */
  takeUnsent(): Chunk[] {
    return this.chunksFrom(this.sentUpTo + 1);
  }

  /** A new port: everything held is re-sent (the background dedups by index). */
  replayAll(): Chunk[] {
    return this.chunksFrom(-1);
  }

  private chunksFrom(fromI: number): Chunk[] {
    const chunks: Chunk[] = [];
    for (const s of this.segments) {
      const from = Math.max(s.start, fromI - s.first);
      if (from >= s.n) continue;
      this.sentUpTo = s.first + s.n - 1;
      const events = s.events;
      // The JSON and record forms go whole (a partly sent one again whole: the background drops what it has).
      if (typeof events === "string") {
        chunks.push({ first: s.first, json: events, n: s.n });
        continue;
      }
      if (s.records) {
        chunks.push({ first: s.first, rec: events, n: s.n });
        continue;
      }
      // The usual array case: a whole small segment goes as it is, no copy.
      if (from === 0 && s.n <= CHUNK_MAX_EVENTS && s.chars <= CHUNK_MAX_CHARS) {
        chunks.push({ first: s.first, events });
        continue;
      }
      let cur: { first: number; events: unknown[] } | null = null;
      let curChars = 0;
      for (let j = from; j < s.n; j++) {
        const c = eventChars(events[j]);
        if (!cur || cur.events.length >= CHUNK_MAX_EVENTS || curChars + c > CHUNK_MAX_CHARS) {
          cur = { first: s.first + j, events: [] };
          curChars = 0;
          chunks.push(cur);
        }
        cur.events.push(events[j]);
        curChars += c;
      }
    }
    return chunks;
  }
}
