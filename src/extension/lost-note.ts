/**
 * The tiny note a background worker keeps in `storage.session` so that its next life can say how many events
 * died with it. Counts and random document ids only — never events, URLs or tokens.
 */

export interface TabNote {
  topDoc: string | null;
  /** doc → [lowest, highest] relay index the worker had accepted. */
  docs: Record<string, [number, number]>;
}

export interface LostNote {
  tabs: Record<string, TabNote>;
}

export const NOTE_KEY = "cai-lost-note";

/** Parses what storage returned; anything unexpected is treated as "no note". */
export function parseNote(v: unknown): LostNote | null {
  if (typeof v !== "object" || v === null) return null;
  const tabs = (v as { tabs?: unknown }).tabs;
  if (typeof tabs !== "object" || tabs === null) return null;
  const out: LostNote = { tabs: {} };
  for (const [id, t] of Object.entries(tabs as Record<string, unknown>)) {
    if (!/^\d+$/.test(id) || typeof t !== "object" || t === null) continue;
    const { topDoc, docs } = t as { topDoc?: unknown; docs?: unknown };
    const clean: TabNote = { topDoc: typeof topDoc === "string" ? topDoc : null, docs: {} };
    if (typeof docs === "object" && docs !== null) {
      for (const [doc, r] of Object.entries(docs as Record<string, unknown>)) {
        if (Array.isArray(r) && r.length === 2 && r.every((x) => Number.isSafeInteger(x)) && r[0] <= r[1]) {
          clean.docs[doc] = [r[0], r[1]];
        }
      }
    }
    out.tabs[id] = clean;
  }
  return out;
}

/**
 * What the previous life had and the new one did not get back: for each document, indexes from its lowest up
 * to just before the first index replayed now (all of them if the document never came back).
 */
export function lostSince(
  note: TabNote,
  firstSeenNow: Map<string, number>,
): { count: number; ranges: { doc: string; from: number; to: number }[] } {
  const ranges: { doc: string; from: number; to: number }[] = [];
  let count = 0;
  for (const [doc, [min, max]] of Object.entries(note.docs)) {
    const f = firstSeenNow.get(doc);
    const to = f === undefined ? max : Math.min(max, f - 1);
    if (to >= min) {
      ranges.push({ doc, from: min, to });
      count += to - min + 1;
    }
  }
  return { count, ranges };
}
