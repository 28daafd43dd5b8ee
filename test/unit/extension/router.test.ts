import { describe, expect, it } from "vitest";
import type { HookEvent } from "../../../src/core/capture/events";
import { HOOK_SOURCE } from "../../../src/core/capture/events";
import type { RelayToBackground } from "../../../src/extension/protocol";
import { Router } from "../../../src/extension/router";
import { TabBuffer } from "../../../src/extension/buffer";
import { lostSince, parseNote } from "../../../src/extension/lost-note";

const msg = (doc: string, first: number, events: HookEvent[]): RelayToBackground => ({
  type: "batch",
  batch: { source: HOOK_SOURCE, doc, seq: 0, events },
  first,
});
const installed = (url: string, t = 1): HookEvent => ({ k: "installed", t, url, top: true });
const open = (t: number): HookEvent => ({ k: "ws-open", t, ws: 0 });
const kinds = (evs: { ev: { k: string } }[]) => evs.map((e) => e.ev.k);

describe("Router", () => {
  it("numbers events per tab, marks a new top document, and answers hello with a backlog", () => {
    const r = new Router("e1", () => 100);
    const a = r.ingest(7, 0, msg("A", 0, [installed("http://p/"), open(2)]));
    expect(kinds(a)).toEqual(["navigated", "installed", "ws-open"]);
    expect(a.map((e) => e.n)).toEqual([1, 2, 3]);
    expect(a[1]).toMatchObject({ doc: "A", frame: 0, i: 0 });
    const b = r.backlog(7, 0, undefined);
    expect(b).toMatchObject({ type: "backlog", hookSeen: true, epoch: "e1" });
    if (b.type === "backlog") expect(b.events.map((e) => e.n)).toEqual([1, 2, 3]);
    expect(r.backlog(8, 0, undefined)).toMatchObject({ hookSeen: false, events: [] });
  });

  it("drops replayed indexes (relay reconnect) and keeps documents apart", () => {
    const r = new Router("e1");
    r.ingest(1, 0, msg("A", 0, [installed("http://p/"), open(1)]));
    const again = r.ingest(1, 0, msg("A", 0, [installed("http://p/"), open(1), open(2)]));
    expect(kinds(again)).toEqual(["ws-open"]);
    expect(again[0]).toMatchObject({ i: 2, n: 4 });
    const sub = r.ingest(1, 3, msg("F", 0, [{ k: "installed", t: 1, url: "http://f/", top: false }]));
    expect(kinds(sub)).toEqual(["installed"]); // a sub-frame document is no navigation
    expect(sub[0]?.frame).toBe(3);
  });

  it("keeps earlier documents across a reload (preserve log) with a navigation marker", () => {
    const r = new Router("e1");
    r.ingest(1, 0, msg("A", 0, [installed("http://p/"), open(1)]));
    r.ingest(1, 0, msg("B", 0, [installed("http://p/", 5)]));
    const b = r.backlog(1, 0, "e1");
    if (b.type !== "backlog") throw new Error();
    expect(kinds(b.events)).toEqual(["navigated", "installed", "ws-open", "navigated", "installed"]);
  });

  it("resumes after `after` in the same epoch, and sends everything to another epoch", () => {
    const r = new Router("e2");
    r.ingest(1, 0, msg("A", 0, [installed("http://p/"), open(1), open(2)]));
    const same = r.backlog(1, 2, "e2");
    const other = r.backlog(1, 2, "e1");
    if (same.type !== "backlog" || other.type !== "backlog") throw new Error();
    expect(same.events.map((e) => e.n)).toEqual([3, 4]);
    expect(other.events.map((e) => e.n)).toEqual([1, 2, 3, 4]);
  });

  it("reports a bounded buffer's loss as a dropped marker before the oldest kept event", () => {
    const r = new Router("e1", () => 9, 5);
    r.ingest(1, 0, msg("A", 0, Array.from({ length: 12 }, (_, j) => open(j))));
    const b = r.backlog(1, 0, "e1");
    if (b.type !== "backlog") throw new Error();
    expect(b.events[0]).toEqual({ n: 7, doc: "", frame: 0, ev: { k: "dropped", t: 9, count: 7, reason: "tab-buffer" } });
    expect(b.events.slice(1).map((e) => e.n)).toEqual([8, 9, 10, 11, 12]);
    // A panel that already had up to n=9 needs no marker.
    const resumed = r.backlog(1, 9, "e1");
    if (resumed.type === "backlog") expect(kinds(resumed.events)).toEqual(["ws-open", "ws-open", "ws-open"]);
  });

  it("does not call a clear a loss", () => {
    const r = new Router("e1");
    r.ingest(1, 0, msg("A", 0, [open(0), open(1)]));
    r.clear(1);
    r.ingest(1, 0, msg("A", 2, [open(2)]));
    const b = r.backlog(1, 0, "e1");
    if (b.type === "backlog") expect(b.events.map((e) => [e.n, e.ev.k])).toEqual([[3, "ws-open"]]);
  });

  it("after a worker restart: same page is no new navigation, and only gone documents count as lost", () => {
    const old = new Router("e1");
    old.ingest(1, 0, msg("A", 0, [installed("http://p/"), open(1), open(2)]));
    old.ingest(1, 0, msg("B", 0, [installed("http://p/"), open(1)])); // reload: A is gone
    const note = parseNote(JSON.parse(JSON.stringify(old.note())));
    expect(note).toEqual({ tabs: { "1": { topDoc: "B", docs: { A: [0, 2], B: [0, 1] } } } });

    const r = new Router("e2", () => 50);
    r.restore(note);
    // B's relay replays only its last event (its copy was trimmed): index 0 of B is lost too.
    const replay = r.ingest(1, 0, msg("B", 1, [open(1)]));
    expect(kinds(replay)).toEqual(["ws-open"]);
    const added = r.settleLoss().get(1);
    expect(added?.[0]?.ev).toEqual({
      k: "dropped",
      t: 50,
      count: 4,
      reason: "worker-stopped",
      lost: [
        { doc: "A", from: 0, to: 2 },
        { doc: "B", from: 0, to: 0 },
      ],
    });
    expect(r.settleLoss().size).toBe(0);
  });

  it("forgets a closed tab", () => {
    const r = new Router("e1");
    r.ingest(3, 0, msg("A", 0, [installed("http://p/")]));
    r.closeTab(3);
    expect(r.note()).toEqual({ tabs: {} });
    expect(r.stats()).toEqual([]);
  });

  it("re-validates relay messages: a malformed one becomes a visible dropped marker, never an event", () => {
    const r = new Router("e1", () => 50);
    const invalid = { k: "dropped", t: 50, count: 1, reason: "invalid" };
    expect(r.ingest(1, 0, { type: "nope" }).map((e) => e.ev)).toEqual([invalid]);
    expect(r.ingest(1, 0, null).map((e) => e.ev)).toEqual([invalid]);
    expect(r.ingest(1, 0, { type: "batch", batch: { source: "x", doc: "A", seq: 0, events: [] } }).map((e) => e.ev)).toEqual([invalid]);
    expect(r.ingest(1, 0, { ...msg("A", 0, [open(1)]), first: -3 }).map((e) => e.ev)).toEqual([invalid]);
    expect(r.stats()[0]).toMatchObject({ size: 4, lastN: 4 });
  });

  it("keeps each event's relay index past invalid ones, so a replay of the same batch adds nothing", () => {
    const r = new Router("e1", () => 50);
    const raw = [open(1), { k: "nope" }, open(3)] as unknown as HookEvent[];
    const out = r.ingest(1, 0, msg("A", 10, raw));
    expect(out.map((e) => [e.ev.k, e.i])).toEqual([["ws-open", 10], ["ws-open", 12], ["dropped", undefined]]);
    const again = r.ingest(1, 0, msg("A", 10, [...raw, open(4)]));
    expect(again.map((e) => [e.ev.k, e.i])).toEqual([["ws-open", 13]]); // the invalid one was counted already
  });

  it("keeps a relay batch's valid events, rebuilt from known fields, and counts the invalid ones", () => {
    const r = new Router("e1", () => 50);
    const bad = [{ k: "bogus", t: 1 }, { k: "ws-open", t: "x", ws: 1 }, { k: "ws-open", t: 2, ws: 3, nested: { a: 1 } }];
    const extra = { k: "ws-open", t: 4, ws: 5, __proto__: { polluted: true } };
    const out = r.ingest(1, 0, { type: "batch", batch: { source: HOOK_SOURCE, doc: "A", seq: 0, events: [open(1), ...bad, extra] }, first: 0 });
    expect(out.map((e) => e.ev)).toEqual([open(1), { k: "ws-open", t: 4, ws: 5 }, { k: "dropped", t: 50, count: 3, reason: "invalid" }]);
    expect(Object.getPrototypeOf(out[1]!.ev)).toBe(Object.prototype);
    expect("polluted" in out[1]!.ev).toBe(false);
  });

  it("answers hookSeen and counts buffer evictions per tab", () => {
    const r = new Router("e1", () => 1, 3);
    expect(r.hookSeen(1)).toBe(false);
    r.ingest(1, 0, msg("A", 0, [installed("http://p/"), open(1), open(2), open(3)]));
    expect(r.hookSeen(1)).toBe(true);
    expect(r.evicted(1)).toBe(2); // navigated + 4 events into a buffer of 3
    expect(r.evicted(2)).toBe(0);
  });
});

describe("lost-note", () => {
  it("treats anything unexpected in storage as no note", () => {
    expect(parseNote(undefined)).toBeNull();
    expect(parseNote({ tabs: 3 })).toBeNull();
    expect(parseNote({ tabs: { x: {}, "2": { topDoc: 5, docs: { a: [3, 1], b: [0, 4], c: "z" } } } })).toEqual({
      tabs: { "2": { topDoc: null, docs: { b: [0, 4] } } },
    });
  });
  it("counts nothing for a document that replayed from its first index", () => {
    expect(lostSince({ topDoc: null, docs: { a: [0, 9] } }, new Map([["a", 0]]))).toEqual({ count: 0, ranges: [] });
  });
});

describe("TabBuffer", () => {
  it("bounds by size in characters as well as by count", () => {
    const b = new TabBuffer(1000, 10_000);
    for (let j = 0; j < 10; j++) b.push({ doc: "A", frame: 0, ev: { k: "ws-recv", t: j, ws: 0, frame: { text: "x".repeat(3000), size: 3000 } } });
    expect(b.size).toBe(3);
    expect(b.droppedTotal).toBe(7);
    expect(b.lastN).toBe(10);
  });
});

describe("Router: initial about:blank documents", () => {
  it("keeps their events but adds no navigation marker and does not count as the page", () => {
    const r = new Router("e1");
    const a = r.ingest(1, 0, msg("blank", 0, [{ k: "installed", t: 1, url: "about:blank", top: true }]));
    expect(kinds(a)).toEqual(["installed"]);
    expect(r.backlog(1, 0, "e1")).toMatchObject({ hookSeen: false });
    const b = r.ingest(1, 0, msg("real", 0, [installed("https://app.example/")]));
    expect(kinds(b)).toEqual(["navigated", "installed"]);
  });
});
