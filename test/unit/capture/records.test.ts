/**
 * The record form round trip: what the hook encodes (src/hook/frame.ts appendFrame, batch.ts) is what
 * core/capture/records.ts decodes, also after the structured clone that carries it over the page channel.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FRAME_HEAD,
  FRAME_INLINE_LIMIT,
  FRAME_TAIL,
  REC_RECV_TEXT,
  REC_SEND_TEXT,
  REC_WS,
  type HookEvent,
  type HookRecordBatch,
} from "../../../src/core/capture/events.ts";
import { eventsOfRecords } from "../../../src/core/capture/records.ts";
import { createBatcher } from "../../../src/hook/batch.ts";
import { appendFrame } from "../../../src/hook/frame.ts";
import { bareArray } from "../../../src/hook/safe.ts";

type Frame = { send: boolean; t: number; ws: number; data: string | Uint8Array };

const frameArb: fc.Arbitrary<Frame> = fc.record({
  send: fc.boolean(),
  t: fc.double({ min: 0, max: 1e12, noNaN: true }),
  ws: fc.oneof(fc.nat(1000), fc.constant(2 ** 40)),
  data: fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    // Around the inline limit, with astral characters at the cut points.
    fc.tuple(fc.nat(4), fc.constantFrom("a", "😀", "\"")).map(([extra, c]) => c.repeat(Math.ceil((FRAME_INLINE_LIMIT - 2 + extra) / c.length))),
    fc.uint8Array({ maxLength: 64 }),
  ),
});

/** What the background must see for one frame, stated from the format's rules, not from the encoder. */
function check(f: Frame, ev: unknown): void {
  const e = ev as { k: string; t: number; ws: number; frame: Record<string, unknown> };
  expect(e.k).toBe(f.send ? "ws-send" : "ws-recv");
  expect(e.t).toBe(f.t);
  expect(e.ws).toBe(f.ws);
  if (typeof f.data !== "string") return expect(e.frame).toEqual({ text: "", size: f.data.byteLength, binary: true });
  if (f.data.length <= FRAME_INLINE_LIMIT) return expect(e.frame).toEqual({ text: f.data, size: f.data.length });
  const { head, tail, size } = e.frame as { head: string; tail: string; size: number };
  expect(size).toBe(f.data.length);
  expect(f.data.startsWith(head) && f.data.endsWith(tail)).toBe(true);
  expect(head.length).toBeGreaterThanOrEqual(FRAME_HEAD - 1);
  expect(head.length).toBeLessThanOrEqual(FRAME_HEAD);
  expect(tail.length).toBeGreaterThanOrEqual(FRAME_TAIL - 1);
  expect(tail.length).toBeLessThanOrEqual(FRAME_TAIL);
}

describe("record form round trip", () => {
  it("appendFrame → eventsOfRecords gives each frame back, in order", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), (frames) => {
        const rec = bareArray<unknown>();
        for (const f of frames) expect(appendFrame(rec, f.send, f.t, f.ws, f.data)).toBeGreaterThanOrEqual(0);
        const events = eventsOfRecords(structuredClone(rec), frames.length);
        expect(events).not.toBeNull();
        frames.forEach((f, j) => check(f, events![j]));
      }),
      { numRuns: 200 },
    );
  });

  it("a batch of frames and other events survives the page channel's structured clone", () => {
    const posted: HookRecordBatch[] = [];
    const b = createBatcher({ doc: "d", post: (x) => void posted.push(structuredClone(x)), schedule: () => {}, now: () => 7 });
    const open: HookEvent = { k: "ws-open", t: 1, ws: 3 };
    b.push(open);
    b.frame(true, 3, '{"type":"Connect"}');
    b.frame(false, 3, new ArrayBuffer(5));
    b.flush();
    const [batch] = posted;
    expect(Array.isArray(batch!.rec)).toBe(true);
    expect(eventsOfRecords(batch!.rec, batch!.n)).toEqual([
      open,
      { k: "ws-send", t: 7, ws: 3, frame: { text: '{"type":"Connect"}', size: 18 } },
      { k: "ws-recv", t: 7, ws: 3, frame: { text: "", size: 5, binary: true } },
    ]);
  });

  it("refuses records that are not exactly n events of known tags", () => {
    const rec: unknown[] = [];
    appendFrame(rec, true, 1, 1, "x");
    expect(eventsOfRecords(rec, 2)).toBeNull();
    expect(eventsOfRecords([...rec, 99, 1], 2)).toBeNull();
    expect(eventsOfRecords(rec.slice(0, -1), 1)).toBeNull();
  });

  it("a whole text frame is three values, the socket id in its tag; the retired five-value record is refused", () => {
    const rec: unknown[] = [];
    appendFrame(rec, false, 9, 3, '{"type":"Ping"}');
    expect(rec).toEqual([REC_RECV_TEXT + 3 * REC_WS, 9, '{"type":"Ping"}']);
    expect(eventsOfRecords(rec, 1)).toEqual([{ k: "ws-recv", t: 9, ws: 3, frame: { text: '{"type":"Ping"}', size: 15 } }]);
    // Tag 2 (t, ws, size, text): one build's hook and background never disagree on the form, so nothing sends it.
    expect(eventsOfRecords([...rec, 2, 10, 3, 2, "{}"], 2)).toBeNull();
  });

  it("refuses a whole-text tag with an unknown low part, and gives a text that is no string no size", () => {
    expect(eventsOfRecords([REC_WS + 9, 1, "x"], 1)).toBeNull();
    expect(eventsOfRecords([REC_SEND_TEXT, 1, 5], 1)).toEqual([{ k: "ws-send", t: 1, ws: 0, frame: { text: 5, size: undefined } }]);
  });
});
