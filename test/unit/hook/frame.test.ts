import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_INLINE_LIMIT, FRAME_TAIL } from "../../../src/core/capture/events.ts";
import { binarySize, frameOf, textFrame } from "../../../src/hook/frame.ts";

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
    const f = textFrame(s);
    if (!("head" in f)) throw new Error("expected head/tail");
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
