/**
 * Session export: our JSON (the captured events, redacted by default) and a HAR with Chrome's
 * `_resourceType: "websocket"` / `_webSocketMessages` convention, redacted the same way. Reading them back
 * is in import.ts (re-exported here). Event times are unix ms.
 */
import type { CapturedEvent } from "./types";
import { redactEvent, type RedactOptions } from "./redact-events";

export { importCaptured } from "./import";

export const EXPORT_FORMAT = "convex-auth-inspector/capture";
export const EXPORT_VERSION = 1;

export interface CaptureExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** False only when the user asked for secrets (admin keys are masked even then). */
  redacted: boolean;
  events: CapturedEvent[];
  /** Present when some sync frames hold only their ends (`{head, tail, size}`): how many, and what that means. */
  partialFrames?: PartialFrames;
}

export interface PartialFrames {
  count: number;
  note: string;
}

/** Why a frame may hold only its ends: said in every export that has such frames (JSON and HAR alike). */
export const PARTIAL_FRAMES_NOTE =
  "These WebSocket frames keep only their start and end; `size` is the whole frame's length. The page hook cuts " +
  "frames over 64 KB so, and the live panel holds Transitions that changed no auth state so (their query results " +
  "are let go). Types, versions, clock skew and server time are read from the ends; the cut text is not in this file.";

/** The export's notice of frames that hold only their ends, or undefined when every frame is whole. */
export function partialFrames(events: readonly CapturedEvent[]): PartialFrames | undefined {
  let count = 0;
  for (const e of events) if ((e.ev.k === "ws-send" || e.ev.k === "ws-recv") && !("text" in e.ev.frame)) count++;
  return count > 0 ? { count, note: PARTIAL_FRAMES_NOTE } : undefined;
}

/** Our JSON export of the captured events (a string, pretty-printed). */
export function exportSession(events: readonly CapturedEvent[], opts: RedactOptions = {}): string {
  const partial = partialFrames(events);
  const out: CaptureExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    redacted: !opts.includeSecrets,
    events: events.map((e) => redactEvent(e, opts)),
    ...(partial ? { partialFrames: partial } : {}),
  };
  return JSON.stringify(out, null, 1);
}

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    headers: { name: string; value: string }[];
    queryString: never[];
    cookies: never[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: never[];
    cookies: never[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _resourceType: "websocket" | "fetch" | "xhr";
  _webSocketMessages?: { type: "send" | "receive"; time: number; opcode: number; data: string; _size?: number; _headLength?: number }[];
  /** Ours: the document and socket number, and the close, so an import restores the same connections. */
  _convexAuthInspector?: { doc: string; ws?: number; close?: { code: number; reason: string; t: number } };
}

const iso = (t: number): string => {
  const d = new Date(Number.isFinite(t) ? t : 0);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
};

function entry(t: number, method: string, url: string, status: number, type: HarEntry["_resourceType"]): HarEntry {
  return {
    startedDateTime: iso(t),
    time: 0,
    request: { method, url, httpVersion: "HTTP/1.1", headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: -1 },
    response: {
      status,
      statusText: status === 101 ? "Switching Protocols" : "",
      httpVersion: "HTTP/1.1",
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _resourceType: type,
  };
}

/** A HAR 1.2 log of the sync sockets (with their messages) and Convex HTTP calls, redacted like exportSession. */
export function exportHar(events: readonly CapturedEvent[], opts: RedactOptions = {}): string {
  const entries: HarEntry[] = [];
  const sockets = new Map<string, HarEntry>();
  const socket = (doc: string, ws: number, t: number, url: string): HarEntry => {
    const key = `${doc}:${ws}`;
    let en = sockets.get(key);
    if (!en) {
      en = entry(t, "GET", url, 101, "websocket");
      en._webSocketMessages = [];
      en._convexAuthInspector = { doc, ws };
      sockets.set(key, en);
      entries.push(en);
    }
    return en;
  };
  for (const raw of events) {
    const e = redactEvent(raw, opts);
    const ev = e.ev;
    switch (ev.k) {
      case "ws-new":
        socket(e.doc, ev.ws, ev.t, ev.url);
        break;
      case "ws-send":
      case "ws-recv": {
        const en = socket(e.doc, ev.ws, ev.t, "");
        const f = ev.frame;
        const msg: NonNullable<HarEntry["_webSocketMessages"]>[number] = {
          type: ev.k === "ws-send" ? "send" : "receive",
          time: ev.t / 1000,
          opcode: "text" in f && f.binary ? 2 : 1,
          data: "text" in f ? f.text : `${f.head}${f.tail}`,
        };
        if (!("text" in f)) {
          msg._size = f.size;
          msg._headLength = f.head.length;
        }
        en._webSocketMessages!.push(msg);
        break;
      }
      case "ws-close": {
        const en = socket(e.doc, ev.ws, ev.t, "");
        en._convexAuthInspector!.close = { code: ev.code, reason: ev.reason, t: ev.t };
        break;
      }
      case "http": {
        const en = entry(ev.t, ev.method, ev.url, ev.status, ev.via);
        if (ev.authorization !== null) en.request.headers.push({ name: "Authorization", value: ev.authorization });
        if (ev.errorBody !== undefined) en.response.content = { size: ev.errorBody.length, mimeType: "application/json", text: ev.errorBody };
        en._convexAuthInspector = { doc: e.doc };
        entries.push(en);
        break;
      }
      default:
        break;
    }
  }
  // HAR 1.2's own `comment`: each cut message also carries `_size` (the whole length) and `_headLength`.
  const partial = partialFrames(events);
  const comment = partial ? { comment: `${partial.count} WebSocket message${partial.count === 1 ? "" : "s"} (with _size and _headLength): ${partial.note}` } : {};
  return JSON.stringify(
    { log: { version: "1.2", creator: { name: "convex-auth-inspector", version: "0.1.0" }, pages: [], entries, ...comment } },
    null,
    1,
  );
}
