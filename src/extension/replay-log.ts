/**
 * The relay's bounded copy of this document's events. It is both the send queue while the port is down and
 * the replay source after a reconnect: a restarted background worker has lost its buffer, so the relay
 * re-sends what it still holds and the background drops the indexes it already has.
 */
import type { HookEvent } from "../core/capture/events";
import { eventChars } from "./validate";

export const REPLAY_MAX_EVENTS = 5_000;
export const REPLAY_MAX_CHARS = 8_000_000;
/** One port message stays well under Chrome's 64 MiB message limit. */
export const CHUNK_MAX_EVENTS = 500;
export const CHUNK_MAX_CHARS = 4_000_000;

export interface Chunk {
  /** Per-document index of events[0]; the rest follow consecutively. */
  first: number;
  events: HookEvent[];
}

interface Entry {
  i: number;
  ev: HookEvent;
  chars: number;
}

export class ReplayLog {
  private entries: Entry[] = [];
  private head = 0; // entries[head..] are live (cheap shift)
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
    return this.entries.length - this.head;
  }

  /** Appends events (assigning indexes) and trims the oldest beyond the bounds. */
  add(events: HookEvent[]): void {
    for (const ev of events) {
      const chars = eventChars(ev as unknown as { k: string } & Record<string, unknown>);
      this.entries.push({ i: this.nextI++, ev, chars });
      this.chars += chars;
    }
    while (this.size > 1 && (this.size > this.maxEvents || this.chars > this.maxChars)) {
      const e = this.entries[this.head++]!;
      this.chars -= e.chars;
      if (e.i > this.sentUpTo) this.lost++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
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
    let cur: Chunk | null = null;
    let curChars = 0;
    for (let j = this.head; j < this.entries.length; j++) {
      const e = this.entries[j]!;
      if (e.i < fromI) continue;
      if (!cur || cur.events.length >= CHUNK_MAX_EVENTS || curChars + e.chars > CHUNK_MAX_CHARS) {
        cur = { first: e.i, events: [] };
        curChars = 0;
        chunks.push(cur);
      }
      cur.events.push(e.ev);
      curChars += e.chars;
      this.sentUpTo = e.i;
    }
    return chunks;
  }
}
