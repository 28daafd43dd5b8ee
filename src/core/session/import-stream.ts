/**
 * Reading a capture file as a stream of bytes: a HAR is read entry by entry (har-stream.ts → HarEvents), so the
 * document never exists whole in memory; our export (bounded by the extension) is assembled from its members.
 * Every failure is one ImportError sentence saying what is wrong and at which byte.
 */
import type { Json } from "../wire/json";
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
  private readonly reader = new HarStreamReader({
    entry: (index, json, offset) => {
      this.entries = index + 1;
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (e) {
        throw new ImportError(`HAR entry ${index} (starting at byte ${offset}) is not valid JSON: ${why(e)}.`);
      }
      this.har.add(index, value);
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

function parseMember(key: string, m: { json: string; offset: number }): unknown {
  try {
    return JSON.parse(m.json);
  } catch (e) {
    throw new ImportError(`"${key}" (starting at byte ${m.offset}) is not valid JSON: ${why(e)}.`);
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

