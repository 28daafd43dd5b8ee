/**
 * One WebSocket frame → its recorded form. Text up to FRAME_INLINE_LIMIT is kept whole (strings are immutable:
 * no copy); longer text keeps only its head and tail, so a multi-megabyte Transition is never copied or parsed
 * on the page's thread. Binary frames keep only their size.
 */
import { FRAME_HEAD, FRAME_INLINE_LIMIT, FRAME_TAIL, type FrameText } from "../core/capture/events";
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

/**
 * Head and tail of a long string: at most FRAME_HEAD + FRAME_TAIL characters are copied, and a surrogate pair
 * is never cut in two (the cut moves one unit inwards instead).
 */
export function textFrame(s: string): FrameText {
  const size = s.length;
  if (size <= FRAME_INLINE_LIMIT) return { text: s, size };
  const headEnd = isHigh(code(s, FRAME_HEAD - 1)) ? FRAME_HEAD - 1 : FRAME_HEAD;
  const tailStart = isLow(code(s, size - FRAME_TAIL)) ? size - FRAME_TAIL + 1 : size - FRAME_TAIL;
  return { head: slice(s, 0, headEnd), tail: slice(s, tailStart), size };
}

const NativeString = String;

/**
 * What the hook records for a frame's payload; null for an object that is neither a string nor binary (the
 * native `send` stringifies it, and calling its `toString` a second time would be visible to the page).
 */
export function frameOf(data: unknown): FrameText | null {
  if (typeof data === "string") return textFrame(data);
  if (data === null || (typeof data !== "object" && typeof data !== "function" && typeof data !== "symbol"))
    return textFrame(NativeString(data)); // what the native send transmits for a primitive
  const n = binarySize(data);
  return n === undefined ? null : { text: "", size: n, binary: true };
}
