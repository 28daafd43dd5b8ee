import { describe, expect, it } from "vitest";
import { createBatcher, MAX_PENDING_EVENTS, type BatcherOptions } from "../../../src/hook/batch.ts";
import { HOOK_SOURCE, type HookBatch, type HookEvent, type HookRecordBatch } from "../../../src/core/capture/events.ts";
import { eventsOfRecords } from "../../../src/core/capture/records.ts";

/** A posted batch with its records decoded as the background decodes them. */
function decoded(b: HookRecordBatch): HookBatch {
  const events = eventsOfRecords(b.rec, b.n);
  if (!events) throw new Error("records are not n events");
  return { source: b.source, doc: b.doc, seq: b.seq, events: events as HookEvent[] };
}

/** A batcher with a manual clock and timer queue, so each test decides when the timer fires. */
function setup(over: Partial<BatcherOptions> = {}) {
  const raw: HookRecordBatch[] = [];
  const posted: HookBatch[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const b = createBatcher({
    doc: "d1",
    post: (batch) => {
      raw.push(batch);
      posted.push(decoded(batch));
    },
    schedule: (fn, ms) => void timers.push({ fn, ms }),
    now: () => 1000,
    ...over,
  });
  const fire = () => timers.splice(0).forEach((t) => t.fn());
  return { b, raw, posted, timers, fire };
}
const open = (ws: number): HookEvent => ({ k: "ws-open", t: 1, ws });

describe("batcher", () => {
  it("posts pending events as one batch when the timer fires, with doc and increasing seq", () => {
    const { b, posted, timers, fire } = setup();
    b.push(open(1));
    b.push(open(2));
    expect(posted).toEqual([]);
    expect(timers).toHaveLength(1); // one timer per batch, not per event
    expect(timers[0]?.ms).toBe(50);
    fire();
    b.push(open(3));
    fire();
    expect(posted).toEqual([
      { source: HOOK_SOURCE, doc: "d1", seq: 0, events: [open(1), open(2)] },
      { source: HOOK_SOURCE, doc: "d1", seq: 1, events: [open(3)] },
    ]);
  });

  it("posts nothing when there is nothing pending", () => {
    const { b, posted, fire } = setup();
    b.flush();
    fire();
    expect(posted).toEqual([]);
  });

  it("flush() posts immediately (a large backlog)", () => {
    const { b, posted } = setup();
    b.push(open(1));
    b.flush();
    expect(posted.map((p) => p.events.length)).toEqual([1]);
  });

  it("flushNow() delivers through the synchronous channel (pagehide), continuing the same seq", () => {
    const sync: HookBatch[] = [];
    const { b, posted, fire } = setup({ postNow: (batch) => void sync.push(decoded(batch)) });
    b.push(open(1));
    fire();
    b.push(open(2));
    b.flushNow();
    expect(posted.map((p) => p.seq)).toEqual([0]);
    expect(sync.map((p) => [p.seq, p.events])).toEqual([[1, [open(2)]]]);
  });

  it("counts events past the bound and reports them as one dropped event", () => {
    const { b, posted, fire } = setup({ maxEvents: 3 });
    for (let i = 1; i <= 7; i++) b.push(open(i));
    fire();
    expect(posted[0]?.events).toEqual([open(1), open(2), open(3), { k: "dropped", t: 1000, count: 4 }]);
    b.push(open(8));
    fire();
    expect(posted[1]?.events).toEqual([open(8)]); // the count was reset
  });

  it("has the documented default bound", () => {
    const { b, posted, fire } = setup();
    for (let i = 0; i < MAX_PENDING_EVENTS + 10; i++) b.push(open(i));
    fire();
    expect(posted[0]?.events).toHaveLength(MAX_PENDING_EVENTS + 1);
    expect(posted[0]?.events.at(-1)).toEqual({ k: "dropped", t: 1000, count: 10 });
  });

  it("flushes early when pending text grows large", () => {
    const { b, posted } = setup({ maxChars: 100 });
    b.frame(false, 1, "x".repeat(60));
    expect(posted).toHaveLength(0);
    b.frame(true, 1, "y".repeat(60));
    expect(posted).toHaveLength(1);
    expect(posted[0]?.events).toEqual([
      { k: "ws-recv", t: 1000, ws: 1, frame: { text: "x".repeat(60), size: 60 } },
      { k: "ws-send", t: 1000, ws: 1, frame: { text: "y".repeat(60), size: 60 } },
    ]);
  });

  it("records frames as flat records (no event object per frame), in order with other events", () => {
    const { b, raw, posted, fire } = setup();
    b.push(open(1));
    b.frame(true, 1, '{"type":"Connect"}');
    b.frame(false, 1, new Uint8Array(3));
    fire();
    expect(raw[0]?.n).toBe(3);
    expect(Array.prototype.filter.call(raw[0]!.rec, (v) => typeof v === "object")).toEqual([open(1)]);
    expect(posted[0]?.events).toEqual([
      open(1),
      { k: "ws-send", t: 1000, ws: 1, frame: { text: '{"type":"Connect"}', size: 18 } },
      { k: "ws-recv", t: 1000, ws: 1, frame: { text: "", size: 3, binary: true } },
    ]);
  });

  it("counts frames past the bound as dropped, but not payloads that are never recorded", () => {
    const { b, posted, fire } = setup({ maxEvents: 1 });
    b.frame(true, 1, "a");
    b.frame(true, 1, "b");
    b.frame(true, 1, { toString: () => "c" }); // not recordable: not a loss either
    b.frame(false, 1, new ArrayBuffer(2));
    fire();
    expect(posted[0]?.events.map((e) => e.k)).toEqual(["ws-send", "dropped"]);
    expect(posted[0]?.events.at(-1)).toEqual({ k: "dropped", t: 1000, count: 2 });
  });

  it("reports a batch that could not be posted as dropped in the next one", () => {
    let fail = true;
    const posted: HookBatch[] = [];
    const { b, fire } = setup({
      post: (batch) => {
        if (fail) throw new Error("DataCloneError");
        posted.push(decoded(batch));
      },
      maxEvents: 2,
    });
    b.push(open(1));
    b.push(open(2));
    b.push(open(3)); // over the bound: counted
    fire();
    fail = false;
    fire();
    expect(posted).toEqual([{ source: HOOK_SOURCE, doc: "d1", seq: 1, events: [{ k: "dropped", t: 1000, count: 3 }] }]);
  });
});

describe("the hook's own arrays", () => {
  it("never reach a page's indexed setter on Array.prototype", () => {
    const seen: unknown[] = [];
    const keys = Array.from({ length: 32 }, (_, i) => String(i));
    for (const k of keys) {
      Object.defineProperty(Array.prototype, k, {
        configurable: true,
        set(v: unknown) {
          seen.push(v);
          Object.defineProperty(this, k, { value: v, writable: true, enumerable: true, configurable: true });
        },
      });
    }
    let posted: HookRecordBatch | undefined;
    try {
      const b = createBatcher({ doc: "d", post: (x) => void (posted = x), schedule: () => {}, now: () => 1 });
      b.push({ k: "ws-open", t: 1, ws: 1 });
      b.frame(false, 1, "secret frame");
      b.flush();
    } finally {
      for (const k of keys) delete (Array.prototype as unknown as Record<string, unknown>)[k];
    }
    expect(seen).toEqual([]);
    expect(eventsOfRecords(posted!.rec, 2)).toEqual([{ k: "ws-open", t: 1, ws: 1 }, { k: "ws-recv", t: 1, ws: 1, frame: { text: "secret frame", size: 12 } }]);
  });
});
