/**
 * What the user is looking at: a timeline row, a connection filter, and the token under inspection.
 * Evidence links in findings set these too.
 */
import { computed, signal } from "@preact/signals";
import type { Evidence } from "../../core/rules/types";
import type { TimelineEntry, TokenUse } from "../../core/session/types";
import { session } from "./session";

/** Index into `session.timeline` of the selected row, or null. */
export const selectedEntry = signal<number | null>(null);
/** Details pane open for the selected row (Enter opens, Esc closes). */
export const detailsOpen = signal(false);
/** Index into `session.tokens` the user picked; null = follow the latest token. */
export const pickedToken = signal<number | null>(null);
/** Connection highlighted in the connection list (also a timeline filter when set by a click). */
export const selectedConnection = signal<string | null>(null);

/** The token the inspector shows: the user's pick, else the latest token seen. */
export const inspectedToken = computed<{ index: number; use: TokenUse } | null>(() => {
  const tokens = session.value.tokens;
  const i = pickedToken.value;
  if (i !== null && tokens[i]) return { index: i, use: tokens[i] };
  if (tokens.length === 0) return null;
  return { index: tokens.length - 1, use: tokens[tokens.length - 1]! };
});

/** The token carried by a timeline row or a piece of evidence, if any. */
export function tokenIndexFor(where: { connection?: string; frame?: number; request?: number }): number | null {
  const tokens = session.value.tokens;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (where.request !== undefined && t.request === where.request) return i;
    if (where.connection !== undefined && where.frame !== undefined && t.connection === where.connection && t.frame === where.frame)
      return i;
  }
  return null;
}

/** Select a timeline row (and its token, when it carries one). */
export function selectEntry(index: number, open = false): void {
  const entry: TimelineEntry | undefined = session.value.timeline[index];
  if (!entry) return;
  selectedEntry.value = index;
  if (open) detailsOpen.value = true;
  const tok = tokenIndexFor(entry);
  if (tok !== null) pickedToken.value = tok;
}

/** Follow a finding's evidence to its frame / request / token. */
export function selectEvidence(ev: Evidence): void {
  const timeline = session.value.timeline;
  let best = -1;
  for (let i = 0; i < timeline.length; i++) {
    const e = timeline[i]!;
    if (ev.request !== undefined && e.request === ev.request) best = i;
    else if (ev.connection !== undefined && e.connection === ev.connection) {
      if (ev.frame === undefined ? best < 0 : e.frame !== undefined && e.frame <= ev.frame) best = i;
    }
  }
  if (ev.connection !== undefined) selectedConnection.value = ev.connection;
  if (best >= 0) selectEntry(best, true);
  const tok = tokenIndexFor(ev);
  if (tok !== null) pickedToken.value = tok;
}

export function resetSelection(): void {
  selectedEntry.value = null;
  detailsOpen.value = false;
  pickedToken.value = null;
  selectedConnection.value = null;
}
