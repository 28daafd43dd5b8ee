/**
 * The relay's bounded copy of this document's events. It is both the send queue while the port is down and
 * the replay source after a reconnect: a restarted background worker has lost its buffer, so the relay
 * re-sends what it still holds and the background drops the indexes it already has.
 *
 * The relay runs on the page's thread, so this holds the hook's batches as they came (segments), unvalidated
 * and uncopied: an append is one push plus a size sum without allocation, and a send normally hands a
 * segment's own array to the port. Events are numbered in arrival order; the background validates them and
 * keeps each index even for events it refuses.
 */
import { roughChars } from "./validate";

export const REPLAY_MAX_EVENTS = 5_000;
export const REPLAY_MAX_CHARS = 8_000_000;
/** One port message stays well under Chrome's 64 MiB message limit. */
export const CHUNK_MAX_EVENTS = 500;
export const CHUNK_MAX_CHARS = 4_000_000;

export interface Chunk {
  /** Per-document index of events[0]; the rest follow consecutively. */
  first: number;
  events: unknown[];
}

interface Segment {
  /** Index of events[0]. */
  first: number;
  events: unknown[];
  /** events[start..] are live (the older ones were trimmed). */
  start: number;
  /** roughChars of the live events. */
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

  /** Appends a batch's events as they are (assigning indexes) and trims the oldest beyond the bounds. */
  add(events: unknown[]): void {
    if (events.length === 0) return;
    let chars = 0;
    for (let j = 0; j < events.length; j++) chars += roughChars(events[j]);
    this.segments.push({ first: this.nextI, events, start: 0, chars });
    this.nextI += events.length;
    this.live += events.length;
    this.chars += chars;
    while (this.live > 1 && (this.live > this.maxEvents || this.chars > this.maxChars)) {
      const s = this.segments[0]!;
      const c = roughChars(s.events[s.start]);
      s.chars -= c;
      this.chars -= c;
      this.live--;
      if (s.first + s.start > this.sentUpTo) this.lost++;
      if (++s.start === s.events.length) this.segments.shift();
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
      if (from >= s.events.length) continue;
      this.sentUpTo = s.first + s.events.length - 1;
      // The usual case: a whole small segment goes as it is, no copy.
      if (from === 0 && s.events.length <= CHUNK_MAX_EVENTS && s.chars <= CHUNK_MAX_CHARS) {
        chunks.push({ first: s.first, events: s.events });
        continue;
      }
      let cur: Chunk | null = null;
      let curChars = 0;
      for (let j = from; j < s.events.length; j++) {
        const c = roughChars(s.events[j]);
        if (!cur || cur.events.length >= CHUNK_MAX_EVENTS || curChars + c > CHUNK_MAX_CHARS) {
          cur = { first: s.first + j, events: [] };
          curChars = 0;
          chunks.push(cur);
        }
        cur.events.push(s.events[j]);
        curChars += c;
      }
    }
    return chunks;
  }
}
