/**
 * The smaller form in which a live log holds a server Transition whose whole text the diagnosis did not need:
 * its two ends, in the capture contract's `{head, tail, size}` form (the one the hook uses for frames over
 * 64 KB, which every reader and export already marks as cut). The head keeps the type and both versions, the
 * tail clientClockSkew and serverTs; the modifications (the app's query results) are let go. The ends are kept
 * only when reading them gives what reading the whole frame gave — so a session reduced from the stored form
 * has the same connections, steps, timeline and findings; its frame record says "read from its ends".
 * Which Transitions may be stored so is the reducer's call (sync-recv.ts): those that change no auth state.
 */
import type { FrameText } from "../capture/events";
import type { CapturedEvent } from "./types";
import { transitionFromEnds, type TransitionMsg, type WireVersion } from "../wire/server";

/** The most of a frame's start and end kept (the backend's Transition needs about 150 and 50). */
export const ENDS_HEAD = 256;
export const ENDS_TAIL = 128;
/** Below this many characters saved, the whole text is kept (a cut costs two strings and an object). */
const MIN_SAVING = 64;
const MODIFICATIONS = '"modifications":';
/**
 * serverTs: the ends give the exact nanoseconds, a JSON number holds them to 256 ns; readings this close
 * (well under a microsecond) are the same reading.
 */
const SERVER_MS_EPSILON = 0.001;

/**
 * Smaller ends of a Transition frame — captured whole, or already cut by the hook (2.5 KB of ends) — that read
 * the same as `whole` (what the reducer read from the frame), or null to keep the frame as it is.
 */
export function transitionEnds(frame: FrameText, whole: TransitionMsg): FrameText | null {
  if ("text" in frame && frame.binary) return null;
  const [start, end] = "text" in frame ? [frame.text, frame.text] : [frame.head, frame.tail];
  const held = "text" in frame ? frame.text.length : frame.head.length + frame.tail.length;
  // The head ends just inside the modifications list, so head + tail is never itself a complete message.
  const m = start.indexOf(MODIFICATIONS);
  const headLen = Math.min(start.length, m >= 0 && m + MODIFICATIONS.length < ENDS_HEAD ? m + MODIFICATIONS.length + 1 : ENDS_HEAD);
  const skew = end.lastIndexOf('"clientClockSkew"');
  const tailLen = Math.min(end.length, skew >= 0 && end.length - skew <= ENDS_TAIL ? end.length - skew : ENDS_TAIL);
  if (held - headLen - tailLen < MIN_SAVING) return null;
  const head = start.slice(0, headLen);
  const tail = end.slice(end.length - tailLen);
  const ends = transitionFromEnds(head, tail);
  if (ends.type !== "Transition") return null;
  const same =
    sameVersion(ends.startVersion, whole.startVersion) &&
    sameVersion(ends.endVersion, whole.endVersion) &&
    ends.clientClockSkew === whole.clientClockSkew &&
    (ends.serverTsMs === null || whole.serverTsMs === null
      ? ends.serverTsMs === whole.serverTsMs
      : Math.abs(ends.serverTsMs - whole.serverTsMs) < SERVER_MS_EPSILON);
  return same ? { head: ownCopy(head), tail: ownCopy(tail), size: frame.size } : null;
}

/**
 * A substring that does not keep its parent alive: engines make `slice` a view into the whole text (V8's
 * sliced strings, SpiderMonkey's dependent ones), which would hold every frame's full text after all.
 */
const ownCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

const sameVersion = (a: WireVersion, b: WireVersion) => a.querySet === b.querySet && a.identity === b.identity && a.ts === b.ts;

/** A frame event with its frame replaced (the stored form); any other event unchanged. */
export function withFrame(e: CapturedEvent, frame: FrameText): CapturedEvent {
  const ev = e.ev;
  return ev.k === "ws-recv" || ev.k === "ws-send" ? { ...e, ev: { ...ev, frame } } : e;
}
