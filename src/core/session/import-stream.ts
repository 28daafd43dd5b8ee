/**
 * Reading a capture file as a stream of bytes: a HAR is read one entry member and one WebSocket message at a time
 * (har-stream.ts → HarEvents), so the document never exists whole in memory; our export (bounded by the
 * extension) is assembled from its top-level members.
 * Every failure is one ImportError sentence saying what is wrong and at which byte.
 */
import { isObject, type Json } from "../wire/json";
import { parseSyncUrl } from "../wire/http";
import { HarStreamError, HarStreamReader } from "./har-stream";
import { fromExport, HarEvents, ImportError, type HarSources } from "./import";
import type { CapturedEvent } from "./types";

export interface ImportedCapture {
  kind: "har" | "export";
  events: CapturedEvent[];
  /** HAR only: which entry (and WebSocket message) each connection, frame and request came from. */
  sources: HarSources | null;
  /** HAR only: how many entries the file has (Convex or not). */
  entries: number;
}

/** Shorter than a line: JSON.parse messages quote the input. */
const why = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 160);

export class CaptureStream {
  private readonly har = new HarEvents();
  private readonly members = new Map<string, { json: string; offset: number }>();
  private entries = 0;
  /**
   * The entry being read: its members parsed; its WebSocket messages parsed as they arrive once the request URL
   * says the socket is Convex (Chrome writes `request` first), dropped unread when it is another site's, and
   * kept as text only while the URL is not known yet.
   */
  private current: {
    index: number;
    members: Record<string, unknown>;
    convex: boolean | null;
    /** A `_webSocketMessages` array was streamed. */
    streamed: boolean;
    messages: unknown[];
    pending: { json: string; offset: number }[];
  } | null = null;
  private readonly reader = new HarStreamReader({
    entryStart: (index) => {
      this.entries = index + 1;
      // Keys are the file's: a null-prototype object makes `__proto__` an ordinary member.
      this.current = { index, members: Object.create(null) as Record<string, unknown>, convex: null, streamed: false, messages: [], pending: [] };
    },
    entryMember: (index, key, json, offset) => {
      const cur = this.current!;
      cur.members[key] = parseValue(json, () => `HAR entry ${index}: "${key.slice(0, 40)}" (starting at byte ${offset})`);
      if (key === "request" || key === "_convexAuthInspector") cur.convex = isConvexSocket(cur.members);
    },
    messagesStart: () => {
      this.current!.streamed = true;
    },
    message: (entry, j, json, offset) => {
      const cur = this.current!;
      if (cur.convex === true) cur.messages.push(parseMessage(entry, j, json, offset));
      else if (cur.convex === null) cur.pending.push({ json, offset });
    },
    entryEnd: (index) => {
      const cur = this.current!;
      this.current = null;
      const { members } = cur;
      if (cur.streamed) {
        if (cur.pending.length && isConvexSocket(members)) {
          const first = cur.messages.length;
          cur.messages.push(...cur.pending.map((m, k) => parseMessage(index, first + k, m.json, m.offset)));
        }
        members._webSocketMessages = cur.messages;
      }
      this.har.add(index, members);
    },
    member: (key, json, offset) => {
      if (key !== "format" && key !== "version" && key !== "events") return; // not read by analysis
      this.members.set(key, { json, offset });
    },
  });

  push(bytes: Uint8Array): void {
    try {
      this.reader.push(bytes);
    } catch (e) {
      throw asImportError(e);
    }
  }

  end(): ImportedCapture {
    try {
      this.reader.end();
    } catch (e) {
      throw asImportError(e);
    }
    if (this.reader.sawEntries) {
      const { events, sources } = this.har.finish();
      return { kind: "har", events, sources, entries: this.entries };
    }
    if (this.reader.sawLog) throw new ImportError(`The HAR file has no "log.entries" array.`);
    const format = this.members.get("format");
    if (!format || parseMember("format", format) !== "convex-auth-inspector/capture") {
      throw new ImportError(`Unrecognised JSON: neither a HAR file (log.entries) nor a convex-auth-inspector export (format "convex-auth-inspector/capture").`);
    }
    const doc: Json = { format: "convex-auth-inspector/capture" };
    for (const key of ["version", "events"]) {
      const m = this.members.get(key);
      if (m) doc[key] = parseMember(key, m);
    }
    return { kind: "export", events: fromExport(doc), sources: null, entries: 0 };
  }
}

function isConvexSocket(members: Record<string, unknown>): boolean {
  const url = isObject(members.request) ? members.request.url : undefined;
  return (typeof url === "string" && parseSyncUrl(url) !== null) || isObject(members._convexAuthInspector);
}

const parseMessage = (entry: number, j: number, json: string, offset: number) =>
  parseValue(json, () => `HAR entry ${entry}, WebSocket message ${j} (starting at byte ${offset})`);

function parseMember(key: string, m: { json: string; offset: number }): unknown {
  return parseValue(m.json, () => `"${key}" (starting at byte ${m.offset})`);
}

function parseValue(json: string, what: () => string): unknown {
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new ImportError(`${what()} is not valid JSON: ${why(e)}.`);
  }
}

function asImportError(e: unknown): Error {
  if (e instanceof HarStreamError) return new ImportError(`${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`);
  return e as Error;
}

/** Whole text in one go (tests, small files): the same reader. */
export function importCaptureText(text: string): ImportedCapture {
  const s = new CaptureStream();
  s.push(new TextEncoder().encode(text));
  return s.end();
}

