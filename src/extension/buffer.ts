/**
 * One tab's bounded event buffer. Numbers events (`n`, contiguous per tab), drops the oldest beyond the
 * bounds, and answers "everything after n" with a `dropped` marker standing in for what fell out.
 */
import type { CapturedEvent } from "../core/session/types";
import { TAB_BUFFER_LIMIT } from "./protocol";
import { eventChars } from "../core/capture/chars";

/** Also bound memory: 20,000 events of 64 KiB frames would not fit in a service worker. */
export const TAB_BUFFER_CHARS = 48_000_000;

export type NewEvent = Omit<CapturedEvent, "n">;

export class TabBuffer {
  private events: CapturedEvent[] = [];
  private sizes: number[] = [];
  private head = 0;
  private chars = 0;
  private nextN = 1;
  /** Events with n <= this were removed on purpose by `clear` (not a loss). */
  private clearedUpTo = 0;
  /** How many events fell out of the bound so far (for the debug view and tests). */
  droppedTotal = 0;

  constructor(
    private readonly limit = TAB_BUFFER_LIMIT,
    private readonly maxChars = TAB_BUFFER_CHARS,
  ) {}

  get size(): number {
    return this.events.length - this.head;
  }

  get lastN(): number {
    return this.nextN - 1;
  }

  push(e: NewEvent): CapturedEvent {
    const ev = { ...e, n: this.nextN++ } as CapturedEvent;
    const chars = eventChars(ev.ev);
    this.events.push(ev);
    this.sizes.push(chars);
    this.chars += chars;
    while (this.size > 1 && (this.size > this.limit || this.chars > this.maxChars)) {
      this.chars -= this.sizes[this.head]!;
      this.head++;
      this.droppedTotal++;
    }
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return ev;
  }

  /**
   * Events with `n > after`. When some of those fell out of the buffer, a `dropped` marker comes first,
   * numbered just before the oldest kept event so the receiver sees no silent gap.
   */
  since(after: number, now: number): CapturedEvent[] {
    const oldestN = this.size > 0 ? this.events[this.head]!.n : this.nextN;
    const missing = oldestN - 1 - Math.max(after, this.clearedUpTo);
    const out: CapturedEvent[] = [];
    if (missing > 0) {
      out.push({ n: oldestN - 1, doc: "", frame: 0, ev: { k: "dropped", t: now, count: missing, reason: "tab-buffer" } });
    }
    // Binary search would do; a linear scan from the end is enough for resumes, which are near the end.
    let j = this.events.length;
    while (j > this.head && this.events[j - 1]!.n > after) j--;
    for (; j < this.events.length; j++) out.push(this.events[j]!);
    return out;
  }

  clear(): void {
    this.clearedUpTo = this.nextN - 1;
    this.events = [];
    this.sizes = [];
    this.head = 0;
    this.chars = 0;
  }
}
