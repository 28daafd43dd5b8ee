/**
 * The smaller form in which a live log holds a server Transition whose whole text the diagnosis did not need:
 * its two ends, in the capture contract's `{head, tail, size}` form (the one the hook uses for frames over
 * 64 KB, which every reader and export already marks as cut). The head keeps the type and both versions, the
 * tail clientClockSkew and serverTs; the modifications (the app's query results) are let go. The ends are kept
 * only when reading them gives what reading the whole frame gave — so a session reduced from the stored form
 * has the same connections, steps, timeline and findings; its frame record says "read from its ends".
 * Which Transitions may be stored so is the reducer's call (sync-recv.ts): those that change no auth state.
 *
 * The head is the backend's exact text, `{"type":"Transition","startVersion":{…},"endVersion":{…},
 * "modifications":[`, rebuilt from the versions read and checked against the frame's start: it reads back to
 * those versions by construction. A frame written any other way is kept as it is.
 */
import type { FrameText } from "../capture/events";
import { scanTail } from "../wire/scan";
import type { TransitionMsg, WireVersion } from "../wire/server";
import { nsToMs } from "../wire/u64";
import type { CapturedEvent } from "./types";

/** The most of a frame's end kept: room for clientClockSkew and serverTs (the backend writes about 50). */
export const ENDS_TAIL = 128;
/** Below this many characters saved, the frame is kept as it is (a cut costs two strings and an object). */
const MIN_SAVING = 64;
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
  // Ends just inside the modifications list, so head + tail is never itself a complete message.
  const expected = `{"type":"Transition","startVersion":${versionJson(whole.startVersion)},"endVersion":${versionJson(whole.endVersion)},"modifications":[`;
  if (!start.startsWith(expected)) return null;
  const head = ownCopy(expected); // one flat string, not the concatenation's tree of pieces (+160 B a frame)
  const skew = end.lastIndexOf('"clientClockSkew"');
  if (skew < 0 || end.length - skew > ENDS_TAIL || held - head.length - (end.length - skew) < MIN_SAVING) return null;
  const tail = ownCopy(end.slice(skew));
  const read = scanTail(tail);
  const serverMs = read.serverTsNs === null ? null : nsToMs(read.serverTsNs);
  const same =
    read.clientClockSkew === whole.clientClockSkew &&
    (serverMs === null || whole.serverTsMs === null ? serverMs === whole.serverTsMs : Math.abs(serverMs - whole.serverTsMs) < SERVER_MS_EPSILON);
  return same ? { head, tail, size: frame.size } : null;
}

/** A version as the backend writes it (this key order, no spaces). */
const versionJson = (v: WireVersion) => `{"querySet":${v.querySet},"identity":${v.identity},"ts":${JSON.stringify(v.ts)}}`;

/**
 * A fresh flat copy. A substring would keep its parent alive (engines make `slice` a view into the whole text:
 * V8's sliced strings, SpiderMonkey's dependent ones), which would hold every frame's full text after all; a
 * concatenation is a tree of its pieces (V8's cons strings, SpiderMonkey's ropes) until something flattens it.
 */
const ownCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** A frame event with its frame replaced (the stored form); any other event unchanged. */
export function withFrame(e: CapturedEvent, frame: FrameText): CapturedEvent {
  const ev = e.ev;
  return ev.k === "ws-recv" || ev.k === "ws-send" ? { ...e, ev: { ...ev, frame } } : e;
}
