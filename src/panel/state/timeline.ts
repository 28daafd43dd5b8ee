/**
 * Timeline filters (kind, connection, severity, free text) → the list of visible row indices.
 * Indices point into `session.timeline`, so selection survives filtering.
 */
import { computed, signal } from "@preact/signals";
import type { TimelineKind } from "../../core/session/types";
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

export const visibleRows = computed<number[]>(() => {
  const rows = session.value.timeline;
  const hidden = hiddenKinds.value;
  const conn = connectionFilter.value;
  const sev = severityFilter.value;
  const q = searchText.value.trim().toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i]!;
    if (hidden.has(e.kind)) continue;
    if (conn !== "" && e.connection !== conn) continue;
    if (sev !== "" && (e.severity === undefined || RANK[e.severity] < RANK[sev])) continue;
    if (q !== "" && !e.text.toLowerCase().includes(q) && !e.kind.includes(q)) continue;
    out.push(i);
  }
  return out;
});

export function toggleKind(kind: TimelineKind): void {
  const next = new Set(hiddenKinds.value);
  if (next.has(kind)) next.delete(kind);
  else next.add(kind);
  hiddenKinds.value = next;
}
