/**
 * The decoder of the hook's record form (HookRecordBatch, see events.ts): flat records back into events. It
 * lives beside the format so the format and its reading change together; the hook's encoder is
 * src/hook/frame.ts (appendFrame) and batch.ts. Pure: the background runs it (validate.ts), so do tests.
 */
import {
  REC_EVENT,
  REC_RECV_BIN,
  REC_RECV_CUT,
  REC_RECV_TEXT,
  REC_SEND_BIN,
  REC_SEND_CUT,
  REC_SEND_TEXT,
  REC_WS,
} from "./events";

const FRAME_KIND: Record<number, "ws-send" | "ws-recv"> = {
  [REC_SEND_CUT]: "ws-send",
  [REC_SEND_BIN]: "ws-send",
  [REC_RECV_CUT]: "ws-recv",
  [REC_RECV_BIN]: "ws-recv",
};

/**
 * The events of a HookRecordBatch's records, unvalidated (the background's validateEvent refuses a record with
 * wrong fields); null unless the records are exactly `n` events with known tags (the relay numbered `n`:
 * another count would shift every index after it).
 */
export function eventsOfRecords(rec: readonly unknown[], n: number): unknown[] | null {
  const out: unknown[] = [];
  let i = 0;
  while (i < rec.length && out.length < n) {
    const tag = rec[i];
    if (tag === REC_EVENT) {
      out.push(rec[i + 1]);
      i += 2;
      continue;
    }
    if (typeof tag !== "number") return null;
    if (tag >= REC_SEND_TEXT) {
      const low = tag % REC_WS;
      if (low !== REC_SEND_TEXT && low !== REC_RECV_TEXT) return null;
      const text = rec[i + 2];
      const k = low === REC_SEND_TEXT ? "ws-send" : "ws-recv";
      out.push({ k, t: rec[i + 1], ws: (tag - low) / REC_WS, frame: { text, size: typeof text === "string" ? text.length : undefined } });
      i += 3;
      continue;
    }
    const k = FRAME_KIND[tag];
    if (!k) return null;
    const t = rec[i + 1];
    const ws = rec[i + 2];
    const size = rec[i + 3];
    if (tag === REC_SEND_CUT || tag === REC_RECV_CUT) {
      out.push({ k, t, ws, frame: { head: rec[i + 4], tail: rec[i + 5], size } });
      i += 6;
    } else {
      out.push({ k, t, ws, frame: { text: "", size, binary: true } });
      i += 4;
    }
  }
  return i === rec.length && out.length === n ? out : null;
}
