import { describe, expect, it } from "vitest";
import { REC_EVENT, REC_RECV_TEXT, REC_SEND_TEXT, REC_WS, type HookEvent } from "../../../src/core/capture/events";
import { CHUNK_MAX_EVENTS, ReplayLog, type Chunk } from "../../../src/extension/replay-log";
import { eventsOfRecords } from "../../../src/core/capture/records";

const ev = (t: number): HookEvent => ({ k: "ws-open", t, ws: 0 });
const eventsOf = (c: Chunk) => ("json" in c ? JSON.parse(c.json) : "rec" in c ? eventsOfRecords(c.rec, c.n) : c.events) as HookEvent[];
const flat = (chunks: Chunk[]) => chunks.flatMap((c) => eventsOf(c).map((e, j) => ({ i: c.first + j, t: e.t })));

describe("ReplayLog", () => {
  it("numbers events per document and hands out each unsent one once", () => {
    const log = new ReplayLog();
    log.add([ev(0), ev(1)]);
    expect(flat(log.takeUnsent())).toEqual([{ i: 0, t: 0 }, { i: 1, t: 1 }]);
    expect(log.takeUnsent()).toEqual([]);
    log.add([ev(2)]);
    expect(flat(log.takeUnsent())).toEqual([{ i: 2, t: 2 }]);
  });

  it("replays everything it still holds after a reconnect, with the original indexes", () => {
    const log = new ReplayLog(3);
    log.add([ev(0), ev(1), ev(2), ev(3)]);
    log.takeUnsent();
    expect(flat(log.replayAll())).toEqual([{ i: 1, t: 1 }, { i: 2, t: 2 }, { i: 3, t: 3 }]);
  });

  it("counts events trimmed before they were ever sent (queue overflow while disconnected)", () => {
    const log = new ReplayLog(2);
    log.add([ev(0)]);
    log.takeUnsent(); // 0 was sent
    log.add([ev(1), ev(2), ev(3)]); // trims 0 (sent: no loss) and 1 (never sent: lost)
    expect(log.takeLost()).toBe(1);
    expect(log.takeLost()).toBe(0);
    expect(flat(log.takeUnsent())).toEqual([{ i: 2, t: 2 }, { i: 3, t: 3 }]);
  });

  it("bounds memory by size too, and splits big sends into chunks of consecutive indexes", () => {
    const log = new ReplayLog(100_000, 10_000);
    const big: HookEvent = { k: "ws-recv", t: 0, ws: 0, frame: { text: "x".repeat(3000), size: 3000 } };
    log.add([big, big, big, big, big]);
    expect(log.size).toBe(3);
    const many = new ReplayLog();
    many.add(Array.from({ length: CHUNK_MAX_EVENTS * 2 + 1 }, (_, j) => ev(j)));
    const chunks = many.takeUnsent();
    expect(chunks.map((c) => [c.first, eventsOf(c).length])).toEqual([
      [0, CHUNK_MAX_EVENTS],
      [CHUNK_MAX_EVENTS, CHUNK_MAX_EVENTS],
      [CHUNK_MAX_EVENTS * 2, 1],
    ]);
  });

  it("keeps what the page posted as it came, numbering malformed events too (the background validates)", () => {
    const log = new ReplayLog();
    const batch = [ev(0), null, "junk", ev(3)];
    log.add(batch);
    const [chunk] = log.takeUnsent();
    expect(chunk).toEqual({ first: 0, events: batch });
    expect("events" in chunk! && chunk.events).toBe(batch); // handed to the port as it is: no copy on the page's thread
  });

  it("trims inside a segment and resends only the unsent tail of a partly sent one", () => {
    const log = new ReplayLog(4);
    log.add([ev(0), ev(1), ev(2)]);
    log.takeUnsent();
    log.add([ev(3), ev(4)]); // trims index 0 (sent)
    expect(log.takeLost()).toBe(0);
    expect(flat(log.takeUnsent())).toEqual([{ i: 3, t: 3 }, { i: 4, t: 4 }]);
    expect(flat(log.replayAll()).map((e) => e.i)).toEqual([1, 2, 3, 4]);
  });

  it("holds a JSON batch as its text: numbered by its count, sent whole, trimmed whole with its unsent events counted", () => {
    const log = new ReplayLog(5);
    const json = JSON.stringify([ev(0), ev(1), ev(2)]);
    log.add(json, 3);
    expect(log.takeUnsent()).toEqual([{ first: 0, json, n: 3 }]);
    log.add([ev(3)]);
    expect(log.replayAll()).toEqual([{ first: 0, json, n: 3 }, { first: 3, events: [ev(3)] }]);
    log.add(JSON.stringify([ev(4), ev(5), ev(6)]), 3); // 7 events > 5: the first text goes (all sent: no loss)
    expect(log.takeLost()).toBe(0);
    log.add(JSON.stringify([ev(7), ev(8), ev(9)]), 3); // trims ev(3) (sent) then the unsent 4..6 text: 3 lost
    expect(log.takeLost()).toBe(3);
    expect(flat(log.replayAll()).map((e) => e.i)).toEqual([7, 8, 9]);
  });

  it("holds a record batch as it came: numbered by its count, sent whole and uncopied, trimmed whole", () => {
    const log = new ReplayLog(5, 1000);
    const rec = [REC_SEND_TEXT + REC_WS, 0, "abc", REC_EVENT, ev(1)]; // a sent frame, then an event object
    log.add(rec, 2, true);
    const [chunk] = log.takeUnsent();
    expect(chunk).toEqual({ first: 0, rec, n: 2 });
    expect(chunk && "rec" in chunk && chunk.rec).toBe(rec);
    expect(flat([chunk!]).map((e) => e.t)).toEqual([0, 1]);
    log.add([REC_RECV_TEXT + REC_WS, 5, "y".repeat(600)], 1, true);
    log.add([REC_RECV_TEXT + REC_WS, 6, "z".repeat(600)], 1, true); // over 1000 characters: the oldest records go whole
    expect(log.takeLost()).toBe(1); // the first 600-character frame was never sent
    expect(flat(log.replayAll()).map((e) => e.i)).toEqual([3]);
  });
});

