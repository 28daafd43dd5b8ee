/**
 * Timeline filters (kind, connection, severity, free text) → the list of visible row indices.
 * Indices point into `session.timeline`, so selection survives filtering. The live timeline only grows (the same
 * array, appended in place by core's SessionBuilder): with the same filters, only the new rows are tested, so
 * the list keeps up with rows arriving at any count held.
 */
import { computed, signal } from "@preact/signals";
import type { TimelineEntry, TimelineKind } from "../../core/session/types";
import { session } from "./session";

export const ALL_KINDS: TimelineKind[] = [
  "navigation",
  "connect",
  "authenticate",
  "auth-accepted",
  "auth-error",
  "fatal-error",
  "close",
  "queries",
  "http",
  "dropped",
];

export const hiddenKinds = signal<ReadonlySet<TimelineKind>>(new Set());
/** Connection id, or "" for all. */
export const connectionFilter = signal("");
/** Minimum severity shown: "" = everything, else only rows with that severity or worse. */
export const severityFilter = signal<"" | "error" | "warning" | "info">("");
export const searchText = signal("");

const RANK = { error: 3, warning: 2, info: 1 } as const;

interface Filtered {
  rows: readonly TimelineEntry[];
  scanned: number;
  filters: readonly unknown[];
  out: number[];
}
let last: Filtered | null = null;

export const visibleRows = computed<number[]>(() => {
  const rows = session.value.timeline;
  const hidden = hiddenKinds.value;
  const conn = connectionFilter.value;
  const sev = severityFilter.value;
  const q = searchText.value.trim().toLowerCase();
  const filters = [hidden, conn, sev, q];
  const more = last !== null && last.rows === rows && last.scanned <= rows.length && filters.every((f, i) => f === last!.filters[i]);
  const from = more ? last!.scanned : 0;
  const found: number[] = [];
  for (let i = from; i < rows.length; i++) {
    const e = rows[i]!;
    if (hidden.has(e.kind)) continue;
    if (conn !== "" && e.connection !== conn) continue;
    if (sev !== "" && (e.severity === undefined || RANK[e.severity] < RANK[sev])) continue;
    if (q !== "" && !e.text.toLowerCase().includes(q) && !e.kind.includes(q)) continue;
    found.push(i);
  }
  // A new array whenever rows were added (views compare by identity), the same one when none matched.
  const out = !more ? found : found.length > 0 ? last!.out.concat(found) : last!.out;
  last = { rows, scanned: rows.length, filters, out };
  return out;
});

export function toggleKind(kind: TimelineKind): void {
  const next = new Set(hiddenKinds.value);
  if (next.has(kind)) next.delete(kind);
  else next.add(kind);
  hiddenKinds.value = next;
}
