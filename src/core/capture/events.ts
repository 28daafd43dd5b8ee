/**
 * The hook's own event type: the only contract between the page (MAIN world) and the extension.
 * It lives in core (the capture contract core reads) so core depends on nothing outside it; the hook imports it.
 * The hook imports nothing else; everything here must be structured-cloneable and bounded.
 */

/** Frames longer than this are sent as head + tail only (never fully parsed on the page's thread). */
export const FRAME_INLINE_LIMIT = 64 * 1024;
/** How much of a large frame's start and end the hook keeps. */
export const FRAME_HEAD = 2048;
export const FRAME_TAIL = 512;
/** Tag on every batch (kept so a batch names its sender in exports and tests). */
export const HOOK_SOURCE = "convex-auth-inspector/hook";
/**
 * The private page channel. At document_start the relay dispatches a cancelable MessageEvent of this type on
 * `document.fonts` carrying one MessagePort; the hook (which ran just before it, in manifest order, in Chrome
 * and Firefox alike) takes it and cancels the event. Both run before any page script, so no page ever sees the
 * port, and later events of this type are ignored: the page can neither read nor forge batches.
 */
export const CHANNEL_EVENT = "convex-auth-inspector/channel";
/**
 * The pagehide batch, dispatched synchronously as a CustomEvent (JSON string detail) on that same MessagePort
 * object (both worlds hold it; the page does not): a port message queued while the document unloads is lost.
 */
export const UNLOAD_EVENT = "convex-auth-inspector/unload";

/**
 * A frame's text, or only its ends when it is large. `size` is the text's length in UTF-16 code units (O(1) to
 * read; equals bytes for ASCII JSON), or the byte length of a binary frame.
 */
export type FrameText =
  /** `binary: true`: a binary frame (ArrayBuffer, typed array or Blob); only its size is kept and `text` is "". */
  | { text: string; size: number; binary?: boolean }
  | { head: string; tail: string; size: number };

export type HookEvent =
  /**
   * The hook ran in this document (one per document load; `doc` is new on every load). Recorded at install
   * (its `t` and `url`) but sent only just before the document's first Convex event: quiet pages send nothing.
   */
  | { k: "installed"; t: number; url: string; top: boolean }
  /** A sync socket was constructed (`new WebSocket(url)` matching /api/<v>/sync or /api/sync). */
  | { k: "ws-new"; t: number; ws: number; url: string }
  | { k: "ws-open"; t: number; ws: number }
  | { k: "ws-send"; t: number; ws: number; frame: FrameText }
  | { k: "ws-recv"; t: number; ws: number; frame: FrameText }
  | { k: "ws-close"; t: number; ws: number; code: number; reason: string; wasClean: boolean }
  | { k: "ws-error"; t: number; ws: number }
  /** A Convex HTTP call finished (fetch or XHR). Authorization is the raw header value (a credential). */
  | {
      k: "http";
      t: number;
      req: number;
      via: "fetch" | "xhr";
      method: string;
      url: string;
      authorization: string | null;
      status: number;
      /** Response body for non-2xx responses only (bounded), e.g. `{"code":"NoAuthProvider",...}`. */
      errorBody?: string;
    }
  /** The hook's own bound was hit: N events were not recorded. */
  | { k: "dropped"; t: number; count: number };

/** A batch from one document with its events as objects (the form the background validates). */
export interface HookBatch {
  source: typeof HOOK_SOURCE;
  /** Random per document load. */
  doc: string;
  /** Monotonic per document: lets the receiver notice a gap. */
  seq: number;
  events: HookEvent[];
}

/**
 * The same batch with its events as one JSON text: what an earlier hook posted (the hook now posts
 * HookRecordBatch), still accepted by the relay and the background. `n` is the number of events (the relay
 * numbers them without parsing).
 */
export interface HookJsonBatch {
  source: typeof HOOK_SOURCE;
  doc: string;
  seq: number;
  n: number;
  json: string;
}

/**
 * The compact form the hook posts: its events as one flat array of records, so that recording a frame costs
 * the page a few array appends (no event object, no JSON text built on the page's thread; the structured clone
 * of the page channel copies primitives and strings, and the background rebuilds the events). Each record is a
 * tag followed by its fields:
 *
 *   REC_SEND_TEXT, REC_RECV_TEXT  t, text                  a text frame kept whole (FrameText `{text, size}`,
 *        + ws * REC_WS                                     size = text.length); the tag carries the socket id
 *   REC_SEND_CUT, REC_RECV_CUT    t, ws, size, head, tail  a long text frame's ends (`{head, tail, size}`)
 *   REC_SEND_BIN, REC_RECV_BIN    t, ws, size              a binary frame (`{text: "", size, binary: true}`)
 *   REC_EVENT                     event                    any other HookEvent, as an object
 *
 * The whole-text record, by far the most frequent, is three values: the page channel's structured clone and
 * the relay's port message cost per value as well as per character (two fewer values per frame: about a
 * quarter less clone time for small frames). `n` is the number of events (the relay numbers them without
 * reading the records).
 */
export const REC_EVENT = 0;
/** Tags 1 and 2 were a whole text frame as five values (t, ws, size, text); retired, refused when read. */
export const REC_SEND_CUT = 3;
export const REC_RECV_CUT = 4;
export const REC_SEND_BIN = 5;
export const REC_RECV_BIN = 6;
export const REC_SEND_TEXT = 7;
export const REC_RECV_TEXT = 8;
/** A whole-text record's tag is REC_SEND_TEXT or REC_RECV_TEXT plus the socket id times this (exact below 2^49 ids). */
export const REC_WS = 16;

export interface HookRecordBatch {
  source: typeof HOOK_SOURCE;
  doc: string;
  seq: number;
  n: number;
  rec: (string | number | HookEvent)[];
}

/** What crosses the page channel and the relay's port: any of the three forms. */
export type HookPost = HookBatch | HookJsonBatch | HookRecordBatch;

