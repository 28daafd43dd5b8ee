/**
 * Reading captures back (the CLI's `analyze`): our export JSON, or a HAR whose sync sockets carry Chrome's
 * `_webSocketMessages`. Input is untrusted: every event is validated, and a truncated or foreign file gets
 * a one-sentence reason (thrown as ImportError), never a crash deep inside the reducer.
 */
import type { FrameText, HookEvent } from "../capture/events";
import { classifyHttpUrl, parseSyncUrl } from "../wire/http";
import { isObject, jsonType, type Json } from "../wire/json";
import type { CapturedEvent } from "./types";

export class ImportError extends Error {
  override name = "ImportError";
}

export const MAX_IMPORT_EVENTS = 500_000;
const MAX_ERROR_BODY = 16 * 1024;

export function importCaptured(text: string): CapturedEvent[] {
  if (typeof text !== "string" || text.trim() === "") throw new ImportError("The file is empty.");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const truncated = /end of (JSON )?input|Unterminated|Unexpected end/i.test(msg);
    throw new ImportError(
      truncated
        ? `The file is not complete JSON (it ends after ${text.length} characters): it looks truncated.`
        : `The file is not JSON (${msg.slice(0, 160)}); expected a convex-auth-inspector export or a HAR file.`,
    );
  }
  if (!isObject(doc)) throw new ImportError(`The file holds a JSON ${jsonType(doc)}; expected a convex-auth-inspector export or a HAR file.`);
  if (doc.format === "convex-auth-inspector/capture") return fromExport(doc);
  if (isObject(doc.log) && Array.isArray(doc.log.entries)) return fromHar(doc.log.entries);
  if (isObject(doc.log)) throw new ImportError(`The HAR file has no "log.entries" array.`);
  throw new ImportError(`Unrecognised JSON: neither a convex-auth-inspector export (format "convex-auth-inspector/capture") nor a HAR file (log.entries).`);
}

export function fromExport(doc: Json): CapturedEvent[] {
  if (doc.version !== 1) throw new ImportError(`Unsupported export version ${JSON.stringify(doc.version)?.slice(0, 20)}; this version reads version 1.`);
  if (!Array.isArray(doc.events)) throw new ImportError(`The export has no "events" array.`);
  if (doc.events.length > MAX_IMPORT_EVENTS) throw new ImportError(`The export has ${doc.events.length} events; at most ${MAX_IMPORT_EVENTS} are read.`);
  return doc.events.map((e, i) => {
    const problem = checkCaptured(e);
    if (problem) throw new ImportError(`Event ${i} is not a captured event: ${problem}.`);
    return e as CapturedEvent;
  });
}

const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === "string";

function checkFrame(f: unknown): string | null {
  if (!isObject(f)) return "frame is not an object";
  if (!num(f.size)) return "frame has no numeric size";
  if (str(f.text)) return null;
  if (str(f.head) && str(f.tail)) return null;
  return "frame has neither text nor head+tail";
}

/** Why a value is not a CapturedEvent, or null. */
function checkCaptured(e: unknown): string | null {
  if (!isObject(e)) return `a JSON ${jsonType(e)}`;
  if (!num(e.n)) return `"n" is not a number`;
  if (!str(e.doc)) return `"doc" is not a string`;
  if (!num(e.frame)) return `"frame" is not a number`;
  const ev = e.ev;
  if (!isObject(ev) || !str(ev.k)) return `"ev" has no kind`;
  if (!num(ev.t)) return `"ev.t" is not a number`;
  switch (ev.k) {
    case "installed":
      return str(ev.url) && typeof ev.top === "boolean" ? null : "installed needs url and top";
    case "navigated":
      return str(ev.url) ? null : "navigated needs url";
    case "dropped":
      return num(ev.count) ? null : "dropped needs count";
    case "ws-new":
      return num(ev.ws) && str(ev.url) ? null : "ws-new needs ws and url";
    case "ws-open":
    case "ws-error":
      return num(ev.ws) ? null : `${ev.k} needs ws`;
    case "ws-send":
    case "ws-recv":
      return num(ev.ws) ? checkFrame(ev.frame) : `${ev.k} needs ws`;
    case "ws-close":
      return num(ev.ws) && num(ev.code) && str(ev.reason) ? null : "ws-close needs ws, code and reason";
    case "http":
      return num(ev.req) && str(ev.method) && str(ev.url) && num(ev.status) && (ev.authorization === null || str(ev.authorization))
        ? null
        : "http needs req, method, url, status and authorization";
    default:
      return `unknown kind "${ev.k.slice(0, 30)}"`;
  }
}

function fromHar(entries: unknown[]): CapturedEvent[] {
  const har = new HarEvents();
  for (const [i, en] of entries.entries()) har.add(i, en);
  return har.finish().events;
}

/** Where an analysed item came from in a HAR: the entry index (and, for sockets, each frame's message index). */
export interface HarSources {
  /** Connection id → HAR entry index of its socket. */
  connectionEntry: Map<string, number>;
  /** Connection id → `_webSocketMessages` index of each frame event, in the order the events were emitted. */
  connectionMessages: Map<string, number[]>;
  /** Session request index → HAR entry index. */
  requestEntry: number[];
  /**
   * Session requests listed without an Authorization header that may have had one: Chrome's default
   * "Export HAR (sanitized)" drops Authorization, Cookie and Set-Cookie. Their auth is unknown, not none.
   */
  authUnknown: Set<number>;
}

/** "Authorization: Bearer x\r\n" is longer: a header list this close to `headersSize` is complete. */
const HEADER_SLACK = 16;

/** True when the entry names a header Chrome's sanitized export removes: the file was not sanitized. */
function hasCredentialHeader(en: Json): boolean {
  const named = (hs: unknown, names: string[]) =>
    Array.isArray(hs) && hs.some((h) => isObject(h) && str(h.name) && names.includes(h.name.toLowerCase()));
  return named(isObject(en.request) ? en.request.headers : null, ["authorization", "cookie"]) || named(isObject(en.response) ? en.response.headers : null, ["set-cookie"]);
}

/** True when `headersSize` (the raw request head, HTTP/1) shows every header is listed: none was removed. */
function headersComplete(req: Json, url: string): boolean {
  if (!num(req.headersSize) || req.headersSize < 0 || !Array.isArray(req.headers)) return false;
  let target = url;
  try {
    const u = new URL(url);
    target = u.pathname + u.search;
  } catch {
    return false;
  }
  let bytes = `${str(req.method) ? req.method : ""} ${target} ${str(req.httpVersion) ? req.httpVersion : ""}\r\n\r\n`.length;
  for (const h of req.headers) if (isObject(h) && str(h.name) && str(h.value)) bytes += h.name.length + h.value.length + 4;
  return Math.abs(req.headersSize - bytes) < HEADER_SLACK;
}

/**
 * HAR entries → captured events, one entry at a time (the streaming reader feeds it), then one sort by time.
 * Keeps only what analysis reads: socket frames, Convex calls' method/URL/Authorization/status and 4xx bodies.
 */
export class HarEvents {
  private out: { t: number; order: number; doc: string; ev: HookEvent; entry: number; message?: number; authUnknown?: true }[] = [];
  /** Some entry kept an Authorization, Cookie or Set-Cookie header: the file is not a sanitized export. */
  private credentialHeaderSeen = false;
  private order = 0;
  private nextWs = 1;
  private nextReq = 1;

  private push(t: number, doc: string, ev: HookEvent, entry: number, message?: number): void {
    if (this.out.length >= MAX_IMPORT_EVENTS) throw new ImportError(`The HAR holds more than ${MAX_IMPORT_EVENTS} Convex events; at most ${MAX_IMPORT_EVENTS} are read.`);
    this.out.push({ t, order: this.order++, doc, ev, entry, ...(message !== undefined ? { message } : {}) });
  }

  add(i: number, en: unknown): void {
    if (!isObject(en) || !isObject(en.request)) throw new ImportError(`HAR entry ${i} has no "request" object.`);
    const url = en.request.url;
    if (!str(url)) throw new ImportError(`HAR entry ${i} has no request URL.`);
    const t = Date.parse(str(en.startedDateTime) ? en.startedDateTime : "");
    if (!Number.isFinite(t)) throw new ImportError(`HAR entry ${i} has no valid "startedDateTime".`);
    const ours = isObject(en._convexAuthInspector) ? en._convexAuthInspector : null;
    if (!this.credentialHeaderSeen && hasCredentialHeader(en)) this.credentialHeaderSeen = true;
    const doc = ours && str(ours.doc) ? ours.doc : "har";
    if (Array.isArray(en._webSocketMessages) || en._resourceType === "websocket") {
      if (!parseSyncUrl(url) && !(ours && url === "")) return; // not a Convex sync socket
      const ws = ours && num(ours.ws) ? ours.ws : this.nextWs++;
      const msgs = Array.isArray(en._webSocketMessages) ? en._webSocketMessages : [];
      // Chrome writes a socket whose handshake failed (server down, 503) as status 0 with one message
      // {type:"error", opcode:-1}: it never opened, and the page saw error + close 1006, as the hook records.
      const status = isObject(en.response) && num(en.response.status) ? en.response.status : 101;
      const opened = ours !== null || status === 101 || msgs.some((m) => isObject(m) && (m.type === "send" || m.type === "receive"));
      this.push(t, doc, { k: "ws-new", t, ws, url }, i);
      if (opened) this.push(t, doc, { k: "ws-open", t, ws }, i);
      for (const [j, m] of msgs.entries()) {
        if (isObject(m) && m.type === "error" && num(m.time)) {
          const et = m.time * 1000;
          // No message index: sources count frames (send/receive) only.
          this.push(et, doc, { k: "ws-error", t: et, ws }, i);
          if (!opened) this.push(et, doc, { k: "ws-close", t: et, ws, code: 1006, reason: "", wasClean: false }, i);
          continue;
        }
        if (!isObject(m) || !num(m.time) || !str(m.data) || (m.type !== "send" && m.type !== "receive"))
          throw new ImportError(`HAR entry ${i}, WebSocket message ${j} needs type send/receive/error, numeric time and string data.`);
        const mt = m.time * 1000;
        const frame: FrameText =
          num(m._headLength) && num(m._size)
            ? { head: m.data.slice(0, m._headLength), tail: m.data.slice(m._headLength), size: m._size }
            : m.opcode === 2
              ? { text: "", size: m.data.length, binary: true }
              : { text: m.data, size: m.data.length };
        this.push(mt, doc, m.type === "send" ? { k: "ws-send", t: mt, ws, frame } : { k: "ws-recv", t: mt, ws, frame }, i, j);
      }
      const close = ours && isObject(ours.close) ? ours.close : null;
      if (close && num(close.code) && num(close.t)) this.push(close.t, doc, { k: "ws-close", t: close.t, ws, code: close.code, reason: str(close.reason) ? close.reason : "", wasClean: true }, i);
      return;
    }
    if (!classifyHttpUrl(url)) return; // not a Convex call
    const method = str(en.request.method) ? en.request.method : "POST";
    // A CORS preflight carries no Authorization by design: it is not the call itself.
    if (en._resourceType === "preflight" || method.toUpperCase() === "OPTIONS") return;
    const headers = Array.isArray(en.request.headers) ? en.request.headers : [];
    const auth = headers.find((h): h is Json => isObject(h) && str(h.name) && h.name.toLowerCase() === "authorization");
    const resp = isObject(en.response) ? en.response : {};
    const status = num(resp.status) ? resp.status : 0;
    const ev: Extract<HookEvent, { k: "http" }> = {
      k: "http",
      t,
      req: this.nextReq++,
      via: en._resourceType === "xhr" ? "xhr" : "fetch",
      method,
      url,
      authorization: auth && str(auth.value) ? auth.value : null,
      status,
    };
    const content = isObject(resp.content) ? resp.content : null;
    if (status >= 400 && content && str(content.text)) {
      let body = content.text;
      if (content.encoding === "base64") {
        try {
          body = new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
        } catch {
          body = "";
        }
      }
      ev.errorBody = body.slice(0, MAX_ERROR_BODY);
    }
    this.push(t, doc, ev, i);
    // Our export writes every Authorization it saw; in Chrome's, a missing one may have been sanitized away.
    if (!auth && !ours && !headersComplete(en.request, url)) this.out[this.out.length - 1]!.authUnknown = true;
  }

  /** The events in timeline order (by time, then file order), and where each connection and request came from. */
  finish(): { events: CapturedEvent[]; sources: HarSources } {
    const out = this.out;
    this.out = [];
    out.sort((a, b) => a.t - b.t || a.order - b.order);
    const sources: HarSources = { connectionEntry: new Map(), connectionMessages: new Map(), requestEntry: [], authUnknown: new Set() };
    const events = out.map((o, n): CapturedEvent => {
      const ev = o.ev;
      if (ev.k === "http") {
        if (o.authUnknown && !this.credentialHeaderSeen) sources.authUnknown.add(sources.requestEntry.length);
        sources.requestEntry.push(o.entry);
      }
      else if ("ws" in ev) {
        const id = `${o.doc}:${ev.ws}`;
        if (!sources.connectionEntry.has(id)) sources.connectionEntry.set(id, o.entry);
        if (o.message !== undefined) {
          let list = sources.connectionMessages.get(id);
          if (!list) sources.connectionMessages.set(id, (list = []));
          list.push(o.message);
        }
      }
      return { n, doc: o.doc, frame: 0, ev };
    });
    return { events, sources };
  }
}
