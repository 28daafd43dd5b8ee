/**
 * Reading a dropped or opened file into the panel with core's streaming reader (the one `analyze` uses), chunk by
 * chunk from `File.stream()`, yielding to the event loop so a 100 MB HAR never freezes the panel. A bad file
 * becomes one sentence in the panel; the live log is never touched.
 */
import { emptySession, reduceSession } from "../../core/session/reduce";
import { CaptureStream } from "../../core/session/import-stream";
import { ImportError } from "../../core/session/import";
import { imported, importStatus } from "./imported";
import { resetSelection } from "./selection";

/** Larger files are refused before reading: the panel holds what it reads in memory. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** Longest stretch of parsing between two yields to the event loop (ms). */
const SLICE_MS = 25;
const MAX_NAME = 120;
/** Events reduced between two yields. */
const REDUCE_BATCH = 2000;

const yieldToUi = () => new Promise<void>((r) => setTimeout(r, 0));
const clipName = (name: string) => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name);

let reading = 0;

export async function importFile(file: File): Promise<void> {
  const name = clipName(String(file.name || "unnamed file"));
  const mine = ++reading;
  const fail = (message: string) => {
    if (mine === reading) importStatus.value = { state: "error", name, message };
  };
  if (file.size === 0) return fail("The file is empty.");
  if (file.size > MAX_IMPORT_BYTES) {
    return fail(`The file is ${(file.size / 2 ** 20).toFixed(0)} MB; the panel reads at most ${MAX_IMPORT_BYTES / 2 ** 20} MB (use the CLI's analyze for larger files).`);
  }
  importStatus.value = { state: "reading", name, read: 0, size: file.size };
  const stream = new CaptureStream();
  const reader = file.stream().getReader();
  let read = 0;
  let slice = performance.now();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (mine !== reading) return void reader.cancel(); // another file was chosen meanwhile
      stream.push(value);
      read += value.byteLength;
      if (performance.now() - slice > SLICE_MS) {
        importStatus.value = { state: "reading", name, read, size: file.size };
        await yieldToUi();
        slice = performance.now();
      }
    }
    const capture = stream.end();
    await yieldToUi();
    if (mine !== reading) return;
    // The reducer is incremental (live capture feeds it batch by batch): reduce the file the same way, yielding.
    let session = emptySession();
    for (let i = 0; i < capture.events.length; i += REDUCE_BATCH) {
      session = reduceSession(session, capture.events.slice(i, i + REDUCE_BATCH));
      await yieldToUi();
      if (mine !== reading) return;
    }
    let capturedAt: number | null = null;
    for (const e of capture.events) if (capturedAt === null || e.ev.t < capturedAt) capturedAt = e.ev.t;
    resetSelection();
    imported.value = { name, kind: capture.kind, entries: capture.entries, capturedAt, events: capture.events, sources: capture.sources, session };
    importStatus.value = null;
  } catch (e) {
    if (e instanceof ImportError) return fail(e.message);
    fail(`The file could not be read: ${e instanceof Error ? e.message.split("\n")[0]!.slice(0, 160) : String(e).slice(0, 160)}`);
  }
}

/** Stop showing the file: the live tab's session (which kept capturing) is shown again. */
export function backToLive(): void {
  reading++;
  imported.value = null;
  importStatus.value = null;
  resetSelection();
}
