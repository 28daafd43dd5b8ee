import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_INLINE_LIMIT, FRAME_TAIL } from "../../../src/core/capture/events.ts";
import { appendFrame, binarySize } from "../../../src/hook/frame.ts";
import { eventsOfRecords } from "../../../src/core/capture/records.ts";

/** The frame appendFrame records for `data` (as the background decodes it), or null when nothing was appended. */
function frameOf(data: unknown): unknown {
  const rec: unknown[] = [];
  if (appendFrame(rec, false, 5, 1, data) < 0) {
    expect(rec).toEqual([]);
    return null;
  }
  const events = eventsOfRecords(rec, 1) as { frame: unknown }[] | null;
  return events?.[0]?.frame ?? "malformed records";
}
const textFrame = (s: string) => frameOf(s);

describe("text frames", () => {
  it("keeps frames up to the inline limit whole", () => {
    const s = "x".repeat(FRAME_INLINE_LIMIT);
    expect(textFrame(s)).toEqual({ text: s, size: FRAME_INLINE_LIMIT });
    expect(textFrame("")).toEqual({ text: "", size: 0 });
  });

  it("keeps only head and tail past the limit, with the full size", () => {
    const s = "H".repeat(FRAME_HEAD) + "m".repeat(FRAME_INLINE_LIMIT) + "T".repeat(FRAME_TAIL);
    expect(textFrame(s)).toEqual({ head: "H".repeat(FRAME_HEAD), tail: "T".repeat(FRAME_TAIL), size: s.length });
  });

  it("never cuts a surrogate pair in two", () => {
    const emoji = "😀"; // two UTF-16 units
    const s = "a".repeat(FRAME_HEAD - 1) + emoji + "b".repeat(FRAME_INLINE_LIMIT) + emoji + "c".repeat(FRAME_TAIL - 1);
    const f = textFrame(s) as { head: string; tail: string; size: number };
    expect(f.head).toBe("a".repeat(FRAME_HEAD - 1));
    expect(f.tail).toBe("c".repeat(FRAME_TAIL - 1));
    expect(f.size).toBe(s.length);
  });
});

describe("binary frames: size only", () => {
  it.each([
    ["ArrayBuffer", new ArrayBuffer(10), 10],
    ["Uint8Array", new Uint8Array(7), 7],
    ["Uint16Array view", new Uint16Array(new ArrayBuffer(16), 2, 3), 6],
    ["DataView", new DataView(new ArrayBuffer(9), 1, 4), 4],
    ["Blob", new Blob(["héllo"]), 6],
  ] as const)("%s", (_name, data, size) => {
    expect(binarySize(data)).toBe(size);
    expect(frameOf(data)).toEqual({ text: "", size, binary: true });
  });
});

describe("records", () => {
  it("returns the characters kept, and appends one record after another", () => {
    const rec: unknown[] = [];
    expect(appendFrame(rec, true, 1, 2, "abc")).toBe(3);
    expect(appendFrame(rec, false, 3, 2, new ArrayBuffer(4))).toBe(0);
    const long = "x".repeat(FRAME_INLINE_LIMIT + 1);
    expect(appendFrame(rec, false, 4, 2, long)).toBe(FRAME_HEAD + FRAME_TAIL);
    expect(eventsOfRecords(rec, 3)).toEqual([
      { k: "ws-send", t: 1, ws: 2, frame: { text: "abc", size: 3 } },
      { k: "ws-recv", t: 3, ws: 2, frame: { text: "", size: 4, binary: true } },
      { k: "ws-recv", t: 4, ws: 2, frame: { head: "x".repeat(FRAME_HEAD), tail: "x".repeat(FRAME_TAIL), size: long.length } },
    ]);
    expect(eventsOfRecords(rec, 2)).toBeNull(); // another count than the records hold
    expect(eventsOfRecords([...rec, 99, 1], 4)).toBeNull(); // an unknown tag
  });
});

describe("other payloads", () => {
  it("records primitives as the native send would stringify them", () => {
    expect(frameOf(42)).toEqual({ text: "42", size: 2 });
    expect(frameOf(null)).toEqual({ text: "null", size: 4 });
    expect(frameOf(undefined)).toEqual({ text: "undefined", size: 9 });
  });

  it("never calls an object's toString (the page would see a second call)", () => {
    let calls = 0;
    const o = { toString: () => String(++calls) };
    expect(frameOf(o)).toBeNull();
    expect(calls).toBe(0);
    expect(frameOf(Symbol("s"))).toBeNull();
  });
});
