/**
 * One WebSocket frame → its record in the hook's batch: text up to FRAME_INLINE_LIMIT whole, longer text only
 * its head and tail (a multi-megabyte Transition is never copied or parsed on the page's thread), binary frames
 * only their size.
 */
import {
  FRAME_HEAD,
  FRAME_INLINE_LIMIT,
  FRAME_TAIL,
  REC_RECV_BIN,
  REC_RECV_CUT,
  REC_RECV_TEXT,
  REC_SEND_BIN,
  REC_SEND_CUT,
  REC_SEND_TEXT,
  REC_WS,
} from "../core/capture/events";
import { apply, getOwnPropertyDescriptor, slice } from "./safe";

type Getter = (this: unknown) => number;
const getter = (proto: object | undefined, name: string): Getter | undefined =>
  proto ? (getOwnPropertyDescriptor(proto, name)?.get as Getter | undefined) : undefined;

const isView = ArrayBuffer.isView;
const BUFFER_LENGTH = getter(ArrayBuffer.prototype, "byteLength");
const TYPED_LENGTH = getter(Object.getPrototypeOf(Uint8Array.prototype) as object, "byteLength");
const VIEW_LENGTH = getter(DataView.prototype, "byteLength");
const BLOB_SIZE = getter(typeof Blob === "function" ? Blob.prototype : undefined, "size");

/** Call a brand-checking native getter; undefined when `v` is not of that kind. */
function read(g: Getter | undefined, v: unknown): number | undefined {
  if (!g) return undefined;
  try {
    return apply(g, v, []) as number;
  } catch {
    return undefined;
  }
}

/** Byte length of a binary payload (ArrayBuffer, typed array, DataView, Blob); undefined for anything else. */
export function binarySize(data: unknown): number | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  if (isView(data)) return read(TYPED_LENGTH, data) ?? read(VIEW_LENGTH, data);
  return read(BUFFER_LENGTH, data) ?? read(BLOB_SIZE, data);
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const codeAt = String.prototype.charCodeAt;
const code = (s: string, i: number): number => apply(codeAt, s, [i]) as number;

const NativeString = String;

/**
 * Appends the record of one frame (see HookRecordBatch) to `rec` (a bareArray: the stores past its end must not
 * meet a page's indexed setter on Array.prototype) and returns how many characters of text it
 * keeps; -1 (nothing appended) for an object that is neither a string nor binary (the native `send`
 * stringifies it, and calling its `toString` a second time would be visible to the page). A primitive is
 * recorded as the native send transmits it. Text longer than FRAME_INLINE_LIMIT keeps only its head and tail
 * (at most FRAME_HEAD + FRAME_TAIL characters copied, a surrogate pair never cut in two); strings are
 * immutable, so a whole frame is not copied here at all.
 */
export function appendFrame(rec: unknown[], send: boolean, t: number, ws: number, data: unknown): number {
  let s: string;
  if (typeof data === "string") s = data;
  else if (data === null || (typeof data !== "object" && typeof data !== "function" && typeof data !== "symbol")) s = NativeString(data);
  else {
    const n = binarySize(data);
    if (n === undefined) return -1;
    const i = rec.length;
    rec[i] = send ? REC_SEND_BIN : REC_RECV_BIN;
    rec[i + 1] = t;
    rec[i + 2] = ws;
    rec[i + 3] = n;
    return 0;
  }
  const size = s.length;
  const i = rec.length; // written in index order: the array stays packed
  if (size <= FRAME_INLINE_LIMIT) {
    rec[i] = (send ? REC_SEND_TEXT : REC_RECV_TEXT) + ws * REC_WS;
    rec[i + 1] = t;
    rec[i + 2] = s;
    return size;
  }
  const headEnd = isHigh(code(s, FRAME_HEAD - 1)) ? FRAME_HEAD - 1 : FRAME_HEAD;
  const tailStart = isLow(code(s, size - FRAME_TAIL)) ? size - FRAME_TAIL + 1 : size - FRAME_TAIL;
  rec[i] = send ? REC_SEND_CUT : REC_RECV_CUT;
  rec[i + 1] = t;
  rec[i + 2] = ws;
  rec[i + 3] = size;
  rec[i + 4] = slice(s, 0, headEnd);
  rec[i + 5] = slice(s, tailStart);
  return headEnd + size - tailStart;
}
