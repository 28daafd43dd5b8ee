/**
 * The per-connection frame list, bounded. Past the bound, ordinary frames are counted as dropped while
 * auth-relevant ones (Connect, Authenticate, AuthError, identity-advancing Transitions…) are still kept up to a
 * second, hard bound, so findings keep their evidence on long-lived sockets.
 */
import type { Draft } from "./draft";
import type { FrameRecord } from "./types";

export const MAX_FRAMES_PER_CONNECTION = 2000;
export const MAX_AUTH_FRAMES_EXTRA = 500;
/** Parsed messages are kept for frames up to this size (bigger ones keep type, size and summary only). */
export const SMALL_MSG = 8 * 1024;

/** Append a frame; returns its index, or undefined when the bound dropped it (counted). */
export function recordFrame(d: Draft, ci: number, rec: Omit<FrameRecord, "i">, important: boolean): number | undefined {
  const c = d.conn(ci);
  const n = c.frames.length;
  if (n >= MAX_FRAMES_PER_CONNECTION + MAX_AUTH_FRAMES_EXTRA || (n >= MAX_FRAMES_PER_CONNECTION && !important)) {
    const before = c.framesDropped ?? 0;
    c.framesDropped = before + 1;
    if (before === 0)
      d.timeline({
        t: rec.t,
        kind: "dropped",
        connection: c.id,
        text: `Frame list of this connection is full (${n} frames): further frames are counted, not kept`,
        severity: "warning",
      });
    return undefined;
  }
  const frame: FrameRecord = { i: n, ...rec };
  if (frame.problem === undefined) delete frame.problem;
  c.frames.push(frame);
  return n;
}
