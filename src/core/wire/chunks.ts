/**
 * TransitionChunk reassembly, per connection, with the client's own rules (convex@1.48.0
 * web_socket_manager.ts assembleTransition): parts must arrive 0,1,2… with one totalParts and one
 * transitionId; otherwise the buffer is dropped with the client's error text. Small transitions are joined
 * and parsed whole; big ones keep only what auth needs (the head for versions, the tail for skew/serverTs).
 * The buffer is plain immutable data so the session reducer can keep it and stay replayable.
 */
import { parseServerText, transitionFromEnds, type ServerFrame, type TransitionChunkMsg } from "./server";

/** Above this many characters a transition is not joined; only its ends are kept. */
export const MAX_JOINED_TRANSITION = 1024 * 1024;
const HEAD_KEEP = 4096;
const TAIL_KEEP = 1024;

export interface ChunkBuffer {
  transitionId: string;
  totalParts: number;
  /** Parts received so far (the next expected partNumber). */
  received: number;
  /** Whole chunk texts while the total stays small and every part was captured whole; else null. */
  parts: string[] | null;
  /** Start of the transition text (grows while parts are whole). */
  head: string;
  /** Whether `head` is still contiguous with the text start and can grow. */
  headOpen: boolean;
  /** Rolling end of the text seen so far. */
  tail: string;
  size: number;
}

export type ChunkResult =
  | { kind: "buffering"; buffer: ChunkBuffer }
  /** All parts arrived: the Transition (or why it could not be read). */
  | { kind: "complete"; transition: ServerFrame; size: number }
  /** The client would throw this and drop its buffer. */
  | { kind: "error"; problem: string };

/** Feed one chunk to the (possibly empty) buffer. */
export function addChunk(buffer: ChunkBuffer | null, c: TransitionChunkMsg): ChunkResult {
  if (
    c.partNumber < 0 ||
    c.partNumber >= c.totalParts ||
    c.totalParts === 0 ||
    (buffer && (buffer.totalParts !== c.totalParts || buffer.transitionId !== c.transitionId))
  ) {
    return { kind: "error", problem: `Invalid TransitionChunk (part ${c.partNumber} of ${c.totalParts}, transition ${c.transitionId})` };
  }
  const expected = buffer ? buffer.received : 0;
  if (c.partNumber !== expected)
    return { kind: "error", problem: `TransitionChunk received out of order: expected part ${expected}, got ${c.partNumber}` };

  const whole = c.chunk;
  const text = whole ?? "";
  const prev: ChunkBuffer = buffer ?? {
    transitionId: c.transitionId,
    totalParts: c.totalParts,
    received: 0,
    parts: [],
    head: "",
    headOpen: true,
    tail: "",
    size: 0,
  };
  const size = prev.size + (whole !== null ? whole.length : (c.chunkHead?.length ?? 0) + (c.chunkTail?.length ?? 0));
  let head = prev.head;
  let headOpen = prev.headOpen;
  if (headOpen && head.length < HEAD_KEEP) head = (head + (whole ?? c.chunkHead ?? "")).slice(0, HEAD_KEEP);
  if (whole === null) headOpen = false;
  const tail = whole !== null ? (prev.tail + text).slice(-TAIL_KEEP) : (c.chunkTail ?? "").slice(-TAIL_KEEP);
  const parts = prev.parts && whole !== null && size <= MAX_JOINED_TRANSITION ? [...prev.parts, whole] : null;
  const next: ChunkBuffer = { ...prev, received: prev.received + 1, parts, head, headOpen, tail, size };

  if (next.received < c.totalParts) return { kind: "buffering", buffer: next };
  if (parts) {
    const t = parseServerText(parts.join(""));
    if (t.type !== "Transition" && t.type !== "invalid")
      return { kind: "error", problem: `Expected Transition, got ${t.type} after assembling chunks` };
    return { kind: "complete", transition: t, size };
  }
  return { kind: "complete", transition: transitionFromEnds(head, tail), size };
}

/** The client's log line when a non-chunk message interrupts an assembly (the buffer is dropped). */
export function interruptedAssembly(type: string): string {
  return `Received unexpected ${type} while buffering TransitionChunks`;
}
