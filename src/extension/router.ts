/**
 * The background's routing logic without browser APIs (unit-testable): per-tab buffers, dedup of relay
 * replays by (doc, index), navigation markers, backlogs for panels, and the restart-loss accounting.
 */
import type { CapturedEvent } from "../core/session/types";
import type { HookEvent } from "../core/capture/events";
import type { BackgroundToPanel } from "./protocol";
import { TabBuffer } from "./buffer";
import type { LostNote, TabNote } from "./lost-note";
import { lostSince } from "./lost-note";
import { validateBatch } from "./validate";

/** Documents remembered per tab for dedup (a long-lived tab with many reloads forgets the oldest). */
const MAX_DOCS_PER_TAB = 256;

interface DocState {
  /** Highest relay index accepted for this document in this worker's life. */
  maxI: number;
  /** Lowest index accepted (for the restart-loss note). */
  minI: number;
}

interface TabState {
  buffer: TabBuffer;
  docs: Map<string, DocState>;
  /** The top frame's current document (from its `installed` event). */
  topDoc: string | null;
  /** Its URL (debug view only: lets tests find a tab without the `tabs` permission). */
  topUrl: string | null;
}

export class Router {
  private tabs = new Map<number, TabState>();
  /** What a previous worker life had (from storage.session), until `settleLoss` reports it. */
  private previous: LostNote | null = null;

  constructor(
    /** Random per worker life: a panel resuming with an older epoch gets everything. */
    readonly epoch: string,
    private readonly now: () => number = Date.now,
    private readonly bufferLimit?: number,
  ) {}

  private tab(tabId: number): TabState {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = { buffer: new TabBuffer(this.bufferLimit), docs: new Map(), topDoc: null, topUrl: null };
      // A restarted worker still knows the top document, so the first replayed `installed` is no new page.
      const prev = this.previous?.tabs[String(tabId)];
      if (prev) t.topDoc = prev.topDoc;
      this.tabs.set(tabId, t);
    }
    return t;
  }

  /** Loads the previous worker life's note (call once at startup, before relays replay). */
  restore(note: LostNote | null): void {
    this.previous = note && Object.keys(note.tabs).length > 0 ? note : null;
    if (!this.previous) return;
    for (const id of Object.keys(this.previous.tabs)) this.tab(Number(id));
  }

  /**
   * After relays had their chance to replay: for each tab of the previous life, the events of documents that
   * did not come back are lost. Returns the markers added (to fan out).
   */
  settleLoss(): Map<number, CapturedEvent[]> {
    const added = new Map<number, CapturedEvent[]>();
    const prev = this.previous;
    this.previous = null;
    if (!prev) return added;
    for (const [id, note] of Object.entries(prev.tabs)) {
      const tabId = Number(id);
      const t = this.tabs.get(tabId);
      if (!t) continue; // tab closed meanwhile
      const firstSeen = new Map<string, number>();
      for (const [doc, d] of t.docs) firstSeen.set(doc, d.minI);
      const lost = lostSince(note, firstSeen);
      if (lost.count > 0) {
        const ev = t.buffer.push({
          doc: "",
          frame: 0,
          ev: { k: "dropped", t: this.now(), count: lost.count, reason: "worker-stopped", lost: lost.ranges },
        });
        added.set(tabId, [ev]);
      }
    }
    return added;
  }

  /**
   * A relay message from a tab's frame → the events newly added to the buffer (already numbered). The relay
   * runs beside untrusted page code and checks only a batch's envelope, so every event is validated here: a
   * malformed message or event becomes a visible `dropped` marker (reason `invalid`), never silence and never
   * a buffered object.
   */
  ingest(tabId: number, frame: number, raw: unknown): CapturedEvent[] {
    const msg = raw as { type?: unknown; batch?: unknown; first?: unknown } | null;
    const t = this.tab(tabId);
    const v = typeof msg === "object" && msg !== null && msg.type === "batch" ? validateBatch(msg.batch) : null;
    const rawFirst = v?.ok ? msg!.first : undefined;
    const firstOk = rawFirst === undefined || (typeof rawFirst === "number" && Number.isSafeInteger(rawFirst) && rawFirst >= 0);
    if (!v?.ok || !firstOk) return [this.invalid(t, 1)];
    const first = (rawFirst as number | undefined) ?? null;
    // A replay repeats invalid events too: count only those at indexes not seen before.
    const seen = first === null ? -1 : (t.docs.get(v.doc)?.maxI ?? -1);
    const out = this.accept(t, frame, v.doc, v.events, v.at, first);
    let invalid = v.invalid;
    if (first !== null) for (const j of v.bad) if (first + j <= seen) invalid--;
    if (invalid > 0) out.push(this.invalid(t, invalid));
    return out;
  }

  private invalid(t: TabState, count: number): CapturedEvent {
    return t.buffer.push({ doc: "", frame: 0, ev: { k: "dropped", t: this.now(), count, reason: "invalid" } });
  }

  /** `at[j]`: events[j]'s position in the relay's batch, so `first + at[j]` is its index even past invalid ones. */
  private accept(t: TabState, frame: number, doc: string, events: HookEvent[], at: number[], first: number | null): CapturedEvent[] {
    let d = t.docs.get(doc);
    const out: CapturedEvent[] = [];
    for (let j = 0; j < events.length; j++) {
      const ev = events[j]!;
      const i = first === null ? undefined : first + at[j]!;
      if (i !== undefined) {
        if (d && i <= d.maxI) continue; // a replay of something we have
        if (!d) {
          d = { maxI: i, minI: i };
          t.docs.set(doc, d);
          if (t.docs.size > MAX_DOCS_PER_TAB) t.docs.delete(t.docs.keys().next().value!);
        }
        d.maxI = i;
      }
      // Firefox also runs the hook in a new tab's initial about:blank: that is no page load worth a marker.
      const topLoad = ev.k === "installed" && ev.top && frame === 0 && /^https?:/i.test(ev.url);
      if (topLoad) t.topUrl = ev.url;
      if (topLoad && doc !== t.topDoc) {
        t.topDoc = doc;
        out.push(t.buffer.push({ doc: "", frame: 0, ev: { k: "navigated", t: ev.t, url: ev.url } }));
      }
      const ce: Omit<CapturedEvent, "n"> = i === undefined ? { doc, frame, ev } : { doc, frame, i, ev };
      out.push(t.buffer.push(ce));
    }
    return out;
  }

  /** The answer to a panel's hello. Another epoch's `after` means nothing here: send everything. */
  backlog(tabId: number, after: number, epoch: string | undefined): BackgroundToPanel {
    const t = this.tab(tabId);
    const from = epoch === this.epoch && Number.isSafeInteger(after) && after >= 0 ? after : 0;
    return { type: "backlog", events: t.buffer.since(from, this.now()), hookSeen: t.topDoc !== null, epoch: this.epoch };
  }

  /** How many events the tab's buffer has let go so far (the bound, not clears). */
  evicted(tabId: number): number {
    return this.tabs.get(tabId)?.buffer.droppedTotal ?? 0;
  }

  /** The hook has sent events from the tab's current top document. */
  hookSeen(tabId: number): boolean {
    return this.tabs.get(tabId)?.topDoc != null;
  }

  clear(tabId: number): void {
    this.tabs.get(tabId)?.buffer.clear();
  }

  closeTab(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /** Counts only, never events: what a restarted worker needs to report a loss. */
  note(): LostNote {
    const tabs: Record<string, TabNote> = {};
    for (const [id, t] of this.tabs) {
      const docs: Record<string, [number, number]> = {};
      for (const [doc, d] of t.docs) docs[doc] = [d.minI, d.maxI];
      tabs[String(id)] = { topDoc: t.topDoc, docs };
    }
    // Tabs of the previous life not yet settled stay in the note, so a second quick kill loses nothing.
    if (this.previous) for (const [id, n] of Object.entries(this.previous.tabs)) tabs[id] ??= n;
    return { tabs };
  }

  /** Debug/test view: sizes only. */
  stats(): { tabId: number; size: number; lastN: number; dropped: number; topDoc: string | null; topUrl: string | null }[] {
    return [...this.tabs].map(([tabId, t]) => ({
      tabId,
      size: t.buffer.size,
      lastN: t.buffer.lastN,
      dropped: t.buffer.droppedTotal,
      topDoc: t.topDoc,
      topUrl: t.topUrl,
    }));
  }
}
