import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_TAIL } from "../../../src/core/capture/events";
import { addChunk, type ChunkBuffer, type ChunkResult } from "../../../src/core/wire/chunks";
import { parseServerFrame, parseServerText, type TransitionChunkMsg } from "../../../src/core/wire/server";

const TRANSITION =
  '{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":1,"identity":1,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":[],"logLines":[],"journal":null}],"clientClockSkew":-3,"serverTs":1755800000000000000}';

function split(text: string, parts: number, id = "t1"): string[] {
  const size = Math.ceil(text.length / parts);
  return Array.from({ length: parts }, (_, i) =>
    JSON.stringify({ type: "TransitionChunk", chunk: text.slice(i * size, (i + 1) * size), partNumber: i, totalParts: parts, transitionId: id }),
  );
}
function chunk(frame: string): TransitionChunkMsg {
  const f = parseServerText(frame);
  if (f.type !== "TransitionChunk") throw new Error(`not a chunk: ${JSON.stringify(f)}`);
  return f;
}
function feed(frames: TransitionChunkMsg[]): ChunkResult[] {
  let buf: ChunkBuffer | null = null;
  return frames.map((c) => {
    const r = addChunk(buf, c);
    buf = r.kind === "buffering" ? r.buffer : null;
    return r;
  });
}

describe("TransitionChunk reassembly", () => {
  it("joins parts in order and parses the Transition", () => {
    const results = feed(split(TRANSITION, 3).map(chunk));
    expect(results.map((r) => r.kind)).toEqual(["buffering", "buffering", "complete"]);
    const last = results[2]!;
    expect(last.kind === "complete" && last.transition).toMatchObject({ type: "Transition", endVersion: { identity: 1 }, clientClockSkew: -3, partial: false });
  });
  it("reports out-of-order parts with the client's text", () => {
    const [a, b, c] = split(TRANSITION, 3).map(chunk);
    const results = feed([a!, c!, b!]);
    expect(results[1]).toEqual({ kind: "error", problem: "TransitionChunk received out of order: expected part 1, got 2" });
    // The buffer was dropped, so part 1 arriving now is out of order too (expected 0).
    expect(results[2]).toEqual({ kind: "error", problem: "TransitionChunk received out of order: expected part 0, got 1" });
  });
  it("reports mismatched transitionId / totalParts as Invalid TransitionChunk", () => {
    const a = split(TRANSITION, 2, "t1").map(chunk);
    const b = split(TRANSITION, 2, "t2").map(chunk);
    const r = feed([a[0]!, b[1]!]);
    expect(r[1]!.kind === "error" && r[1]!.problem).toMatch(/^Invalid TransitionChunk/);
    const bad = feed([{ ...a[0]!, totalParts: 0 }]);
    expect(bad[0]!.kind === "error" && bad[0]!.problem).toMatch(/^Invalid TransitionChunk/);
  });
  it("keeps only versions, skew and serverTs for a big chunked Transition captured as head+tail frames", () => {
    const rows = Array.from({ length: 6000 }, (_, i) => ({ _id: `row${i}`, text: `"quoted" \\ text ${i}` }));
    const big = `{"type":"Transition","startVersion":{"querySet":2,"identity":1,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":3,"identity":2,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":${JSON.stringify(rows)},"logLines":[],"journal":null}],"clientClockSkew":6500,"serverTs":1755800009000000000}`;
    const frames = split(big, 3).map((text) => {
      expect(text.length).toBeGreaterThan(64 * 1024);
      const f = parseServerFrame({ head: text.slice(0, FRAME_HEAD), tail: text.slice(-FRAME_TAIL), size: text.length });
      if (f.type !== "TransitionChunk") throw new Error(JSON.stringify(f));
      return f;
    });
    const r = feed(frames);
    const done = r[2]!;
    expect(done.kind).toBe("complete");
    expect(done.kind === "complete" && done.transition).toMatchObject({
      type: "Transition",
      startVersion: { identity: 1 },
      endVersion: { identity: 2 },
      clientClockSkew: 6500,
      serverTsMs: 1755800009000,
      partial: true,
    });
  });
});
