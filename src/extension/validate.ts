/**
 * Validation of what the page side sends. The hook runs in the page's world, so what comes through the channel
 * is untrusted: the background rebuilds each event from known fields with bounded sizes and counts what it had
 * to drop instead of forwarding it. The relay shares the page's thread, so it checks only a batch's envelope
 * (`batchEnvelope`, O(1)) and forwards the events untouched: the per-event work happens off the page's thread.
 */
import { FRAME_HEAD, FRAME_INLINE_LIMIT, FRAME_TAIL, HOOK_SOURCE } from "../core/capture/events";
import type { FrameText, HookEvent } from "../core/capture/events";
import { eventsOfRecords } from "../core/capture/records";

/** Bounds for one posted batch and its strings (the hook's own bounds are lower; these stop abuse). */
export const MAX_BATCH_EVENTS = 10_000;
export const MAX_URL = 16 * 1024;
export const MAX_AUTHORIZATION = 16 * 1024;
export const MAX_ERROR_BODY = 16 * 1024;
export const MAX_DOC_ID = 128;
/** Unknown extra fields (a newer hook's optional ones) are kept only as booleans, numbers and short strings. */
const MAX_EXTRA_STRING = 256;
const MAX_EXTRA_FIELDS = 8;
/** Slack for a hook that avoids cutting a surrogate pair in two. */
const SLACK = 8;

/**
 * `at[j]`: the position of `events[j]` in the posted batch (the relay numbers events before validation);
 * `bad`: the positions of the refused ones. `invalid` also counts events past MAX_BATCH_EVENTS.
 */
export type ValidBatch = { ok: true; doc: string; seq: number; events: HookEvent[]; at: number[]; bad: number[]; invalid: number };
export type BatchCheck = ValidBatch | { ok: false; reason: string };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const isUint = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const str = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;

/** The longest events JSON text the background parses (Chrome's port messages stop at 64 MiB anyway). */
export const MAX_EVENTS_JSON = 48 * 1024 * 1024;

/**
 * A batch's envelope: its events, unvalidated, as an array, as one JSON text of `n` events, or (`records`) as
 * the flat records of `n` events (HookRecordBatch).
 */
export type Envelope =
  | { ok: true; doc: string; seq: number; n: number; events: unknown[] | string; records: boolean }
  | { ok: false; reason: string };

/** A batch's envelope only (source, doc id, seq, the events' form): constant time, events not looked at. */
export function batchEnvelope(data: unknown): Envelope {
  if (!isRec(data) || data.source !== HOOK_SOURCE) return { ok: false, reason: "not a hook batch" };
  const { doc, seq, events, json, rec, n } = data;
  if (typeof doc !== "string" || doc.length === 0 || doc.length > MAX_DOC_ID) {
    return { ok: false, reason: `bad doc id (a string of 1..${MAX_DOC_ID} characters expected)` };
  }
  if (!isUint(seq)) return { ok: false, reason: "bad seq (a non-negative integer expected)" };
  if (Array.isArray(rec)) {
    // Every record is at least a tag and one field.
    if (!isUint(n) || n * 2 > rec.length) return { ok: false, reason: "bad records (count)" };
    return { ok: true, doc, seq, n, events: rec, records: true };
  }
  if (typeof json === "string") {
    if (!isUint(n) || json.length > MAX_EVENTS_JSON) return { ok: false, reason: "bad events JSON (length or count)" };
    return { ok: true, doc, seq, n, events: json, records: false };
  }
  if (!Array.isArray(events)) return { ok: false, reason: "events is not an array" };
  return { ok: true, doc, seq, n: events.length, events, records: false };
}

/** The envelope's events as an array (parsing the JSON form: the background's work, never the relay's). */
function eventsOf(env: { n: number; events: unknown[] | string; records: boolean }): unknown[] | null {
  if (typeof env.events !== "string") return env.records ? eventsOfRecords(env.events, env.n) : env.events;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.events);
  } catch {
    return null;
  }
  // The relay numbered `n` events: another count would shift every index after it.
  return Array.isArray(parsed) && parsed.length === env.n ? parsed : null;
}

export function validateBatch(data: unknown): BatchCheck {
  const env = batchEnvelope(data);
  if (!env.ok) return env;
  const events = eventsOf(env);
  if (!events) return { ok: false, reason: "events JSON or records are not n events" };
  let invalid = Math.max(0, events.length - MAX_BATCH_EVENTS);
  const out: HookEvent[] = [];
  const at: number[] = [];
  const bad: number[] = [];
  const n = Math.min(events.length, MAX_BATCH_EVENTS);
  for (let j = 0; j < n; j++) {
    const ev = validateEvent(events[j]);
    if (ev) {
      out.push(ev);
      at.push(j);
    } else {
      bad.push(j);
      invalid++;
    }
  }
  return { ok: true, doc: env.doc, seq: env.seq, events: out, at, bad, invalid };
}

/** Copies the unknown primitive fields a newer hook may add (bounded), never objects. */
function extras(src: Rec, known: readonly string[], into: Rec): boolean {
  let count = 0;
  for (const key of Object.keys(src)) {
    if (known.includes(key)) continue;
    const v = src[key];
    if (v === undefined) continue;
    if (++count > MAX_EXTRA_FIELDS) return false;
    if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)) || str(v, MAX_EXTRA_STRING)) {
      into[key] = v;
    } else return false;
  }
  return true;
}

function validateFrame(v: unknown): FrameText | null {
  if (!isRec(v) || !isUint(v.size)) return null;
  const out: Rec = { size: v.size };
  if ("text" in v) {
    if (!str(v.text, FRAME_INLINE_LIMIT + SLACK)) return null;
    out.text = v.text;
    if (!extras(v, ["text", "size"], out)) return null;
  } else {
    if (!str(v.head, FRAME_HEAD + SLACK) || !str(v.tail, FRAME_TAIL + SLACK)) return null;
    out.head = v.head;
    out.tail = v.tail;
    if (!extras(v, ["head", "tail", "size"], out)) return null;
  }
  return out as unknown as FrameText;
}

/** Rebuilds one event from its known fields, or null when it is not a well-formed, bounded hook event. */
export function validateEvent(v: unknown): HookEvent | null {
  if (!isRec(v) || typeof v.k !== "string" || !isTime(v.t)) return null;
  const out: Rec = { k: v.k, t: v.t };
  let known: string[];
  switch (v.k) {
    case "installed":
      if (!str(v.url, MAX_URL) || typeof v.top !== "boolean") return null;
      Object.assign(out, { url: v.url, top: v.top });
      known = ["url", "top"];
      break;
    case "ws-new":
      if (!isUint(v.ws) || !str(v.url, MAX_URL)) return null;
      Object.assign(out, { ws: v.ws, url: v.url });
      known = ["ws", "url"];
      break;
    case "ws-open":
    case "ws-error":
      if (!isUint(v.ws)) return null;
      out.ws = v.ws;
      known = ["ws"];
      break;
    case "ws-send":
    case "ws-recv": {
      if (!isUint(v.ws)) return null;
      const frame = validateFrame(v.frame);
      if (!frame) return null;
      Object.assign(out, { ws: v.ws, frame });
      known = ["ws", "frame"];
      break;
    }
    case "ws-close":
      if (!isUint(v.ws) || !Number.isSafeInteger(v.code) || !str(v.reason, 1024) || typeof v.wasClean !== "boolean") {
        return null;
      }
      Object.assign(out, { ws: v.ws, code: v.code, reason: v.reason, wasClean: v.wasClean });
      known = ["ws", "code", "reason", "wasClean"];
      break;
    case "http":
      if (
        !isUint(v.req) ||
        (v.via !== "fetch" && v.via !== "xhr") ||
        !str(v.method, 32) ||
        !str(v.url, MAX_URL) ||
        !(v.authorization === null || str(v.authorization, MAX_AUTHORIZATION)) ||
        !isUint(v.status) ||
        v.status > 999 ||
        !(v.errorBody === undefined || str(v.errorBody, MAX_ERROR_BODY))
      ) {
        return null;
      }
      Object.assign(out, {
        req: v.req,
        via: v.via,
        method: v.method,
        url: v.url,
        authorization: v.authorization,
        status: v.status,
      });
      if (v.errorBody !== undefined) out.errorBody = v.errorBody;
      known = ["req", "via", "method", "url", "authorization", "status", "errorBody"];
      break;
    case "dropped":
      if (!isUint(v.count)) return null;
      out.count = v.count;
      known = ["count"];
      break;
    default:
      return null;
  }
  if (!extras(v, ["k", "t", ...known], out)) return null;
  return out as unknown as HookEvent;
}
