import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_INLINE_LIMIT, HOOK_SOURCE, REC_EVENT, REC_RECV_BIN, REC_RECV_CUT, REC_RECV_TEXT, REC_SEND_TEXT, REC_WS } from "../../../src/core/capture/events";
import { MAX_BATCH_EVENTS, MAX_URL, validateBatch, validateEvent } from "../../../src/extension/validate";

const batch = (events: unknown[], over: Record<string, unknown> = {}) => ({ source: HOOK_SOURCE, doc: "d1", seq: 0, events, ...over });

describe("validateBatch", () => {
  it("accepts every well-formed event kind and rebuilds them field by field", () => {
    const events = [
      { k: "installed", t: 1, url: "http://x/", top: true },
      { k: "ws-new", t: 2, ws: 1, url: "ws://x/api/1.48.0/sync" },
      { k: "ws-open", t: 3, ws: 1 },
      { k: "ws-send", t: 4, ws: 1, frame: { text: '{"type":"Connect"}', size: 18 } },
      { k: "ws-recv", t: 5, ws: 1, frame: { head: "a".repeat(FRAME_HEAD), tail: "b", size: 100000 } },
      { k: "ws-close", t: 6, ws: 1, code: 1000, reason: "", wasClean: true },
      { k: "ws-error", t: 7, ws: 1 },
      { k: "http", t: 8, req: 0, via: "fetch", method: "POST", url: "http://x/api/query", authorization: null, status: 401, errorBody: "{}" },
      { k: "dropped", t: 9, count: 3 },
    ];
    const v = validateBatch(batch(events));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.invalid).toBe(0);
    expect(v.events).toEqual(events);
    expect(v.events[0]).not.toBe(events[0]); // a copy, not the page's object
  });

  it("rebuilds the events of a record batch, refusing a malformed record but keeping every index", () => {
    const rec = [
      REC_EVENT, { k: "ws-open", t: 1, ws: 1 },
      REC_SEND_TEXT + REC_WS, 2, '{"type":"Connect"}',
      REC_SEND_TEXT + REC_WS, 3, { not: "a string" }, // a text that is no string: refused, index kept
      REC_RECV_TEXT + REC_WS, 3.5, { not: "a string" }, // the same, received
      REC_RECV_CUT, 4, 1, 100000, "a".repeat(FRAME_HEAD), "b",
      REC_RECV_BIN, 5, 1, 12,
    ];
    const v = validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 6, rec });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.events).toEqual([
      { k: "ws-open", t: 1, ws: 1 },
      { k: "ws-send", t: 2, ws: 1, frame: { text: '{"type":"Connect"}', size: 18 } },
      { k: "ws-recv", t: 4, ws: 1, frame: { head: "a".repeat(FRAME_HEAD), tail: "b", size: 100000 } },
      { k: "ws-recv", t: 5, ws: 1, frame: { text: "", size: 12, binary: true } },
    ]);
    expect([v.at, v.bad, v.invalid]).toEqual([[0, 1, 4, 5], [2, 3], 2]);
    // Another count than the records hold, or a truncated record: the whole batch is refused.
    expect(validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 5, rec }).ok).toBe(false);
    expect(validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 6, rec: rec.slice(0, -1) }).ok).toBe(false);
  });

  it("keeps a newer hook's optional primitive fields (binary frames) but no objects", () => {
    const ok = validateEvent({ k: "ws-recv", t: 1, ws: 0, frame: { text: "", size: 12, binary: true } });
    expect(ok).toEqual({ k: "ws-recv", t: 1, ws: 0, frame: { text: "", size: 12, binary: true } });
    expect(validateEvent({ k: "ws-open", t: 1, ws: 0, extra: { nested: 1 } })).toBeNull();
    expect(validateEvent({ k: "ws-open", t: 1, ws: 0, extra: "x".repeat(300) })).toBeNull();
  });

  it("counts malformed, unknown and oversized events instead of forwarding them", () => {
    const v = validateBatch(
      batch([
        { k: "ws-open", t: 1, ws: 0 },
        { k: "nope", t: 1 },
        { k: "ws-open", t: "1", ws: 0 },
        { k: "ws-send", t: 1, ws: 0, frame: { text: "x".repeat(FRAME_INLINE_LIMIT + 100), size: 1 } },
        { k: "installed", t: 1, url: "h".repeat(MAX_URL + 1), top: true },
        { k: "http", t: 1, req: 0, via: "beacon", method: "GET", url: "u", authorization: null, status: 200 },
        { k: "ws-close", t: 1, ws: -1, code: 1000, reason: "", wasClean: true },
        null,
        "string",
        { k: "dropped", t: Infinity, count: 1 },
      ]),
    );
    expect(v).toMatchObject({ ok: true, invalid: 9 });
    if (v.ok) expect(v.events).toHaveLength(1);
  });

  it("rejects whole batches that are not ours or are malformed, with a reason", () => {
    expect(validateBatch(null)).toEqual({ ok: false, reason: "not a hook batch" });
    expect(validateBatch({ source: "other" })).toMatchObject({ ok: false });
    expect(validateBatch(batch([], { doc: "" }))).toMatchObject({ ok: false, reason: expect.stringMatching(/doc/) });
    expect(validateBatch(batch([], { doc: "x".repeat(500) }))).toMatchObject({ ok: false });
    expect(validateBatch(batch([], { seq: -1 }))).toMatchObject({ ok: false, reason: expect.stringMatching(/seq/) });
    expect(validateBatch(batch({} as unknown as unknown[]))).toMatchObject({ ok: false, reason: "events is not an array" });
  });

  it("bounds the number of events per batch", () => {
    const many = Array.from({ length: MAX_BATCH_EVENTS + 5 }, (_, j) => ({ k: "ws-open", t: j, ws: 0 }));
    const v = validateBatch(batch(many));
    expect(v).toMatchObject({ ok: true, invalid: 5 });
    if (v.ok) expect(v.events).toHaveLength(MAX_BATCH_EVENTS);
  });

  it("parses the JSON form (one text of n events) and refuses a text that is not an array of n events", () => {
    const events = [{ k: "ws-open", t: 1, ws: 0 }, { k: "nope" }, { k: "ws-error", t: 2, ws: 0 }];
    const json = JSON.stringify(events);
    const v = validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 3, json });
    expect(v).toMatchObject({ ok: true, events: [events[0], events[2]], at: [0, 2], bad: [1], invalid: 1 });
    expect(validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 2, json })).toMatchObject({ ok: false });
    expect(validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 1, json: "{" })).toMatchObject({ ok: false });
    expect(validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: 1, json: '{"0":1}' })).toMatchObject({ ok: false });
    expect(validateBatch({ source: HOOK_SOURCE, doc: "d1", seq: 0, n: -1, json: "[]" })).toMatchObject({ ok: false });
  });
});
