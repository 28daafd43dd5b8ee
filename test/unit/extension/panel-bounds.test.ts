/** The panel's own bounds and loss banners' state: its held list, the background's evictions, hook presence. */
import { beforeEach, describe, expect, it } from "vitest";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { CapturedEvent } from "../../../src/core/session/types";
import { eventChars } from "../../../src/core/capture/chars";
import {
  PANEL_MAX_CHARS,
  PANEL_MAX_EVENTS,
  PANEL_TRIM,
  applyMessage,
  backgroundEvicted,
  clearSession,
  heldEvents,
  hookSeen,
  session,
  sessionSettled,
  trimmed,
} from "../../../src/panel/state/session";
import { Capture, mixedCapture, transition } from "../session/fixtures";

let n = 0;
const opens = (k: number): CapturedEvent[] =>
  Array.from({ length: k }, () => ({ n: ++n, doc: "A", frame: 0, i: n, ev: { k: "ws-open", t: n, ws: 0 } }));

beforeEach(() => {
  clearSession();
  hookSeen.value = null;
  n = 0;
});

describe("the panel's held list", () => {
  it("stays within PANEL_MAX_EVENTS, trimming the oldest in steps, and counts what it let go", async () => {
    applyMessage({ type: "backlog", events: opens(PANEL_MAX_EVENTS), hookSeen: true });
    expect(heldEvents()).toHaveLength(PANEL_MAX_EVENTS);
    await sessionSettled();
    expect(trimmed.value).toBe(0);
    applyMessage({ type: "events", events: opens(1) });
    expect(heldEvents()).toHaveLength(PANEL_MAX_EVENTS + 1 - PANEL_TRIM);
    await sessionSettled();
    expect(trimmed.value).toBe(PANEL_TRIM);
    expect(heldEvents()[0]!.n).toBe(PANEL_TRIM + 1);
    expect(heldEvents().at(-1)!.n).toBe(PANEL_MAX_EVENTS + 1);
    // One huge message is cut to the bound at once.
    applyMessage({ type: "events", events: opens(PANEL_MAX_EVENTS * 2) });
    expect(heldEvents()).toHaveLength(PANEL_MAX_EVENTS);
    await sessionSettled();
    expect(trimmed.value).toBe(3 * PANEL_MAX_EVENTS + 1 - PANEL_MAX_EVENTS);
    // Trimming the raw list does not rewrite the session model (it keeps its own bounds).
    expect(session.value.dropped).toBe(0);
    clearSession();
    expect(trimmed.value).toBe(0);
  });

  it("bounds the text it holds too: past PANEL_MAX_CHARS the oldest go, every one of them counted", async () => {
    const text = JSON.stringify({ type: "Mutation", requestId: 0, udfPath: "files:upload", args: [{ data: "x".repeat(64_000) }] });
    const sends: CapturedEvent[] = Array.from({ length: 900 }, () => ({ n: ++n, doc: "A", frame: 0, i: n, ev: { k: "ws-send", t: n, ws: 1, frame: { text, size: text.length } } }));
    for (let i = 0; i < sends.length; i += 100) applyMessage({ type: "events", events: sends.slice(i, i + 100) });
    await sessionSettled();
    const chars = heldEvents().reduce((sum, e) => sum + eventChars(e.ev), 0);
    expect(chars).toBeLessThanOrEqual(PANEL_MAX_CHARS);
    expect(trimmed.value).toBeGreaterThan(0);
    expect(heldEvents().length + trimmed.value).toBe(sends.length); // none lost silently
    expect(heldEvents().at(-1)!.n).toBe(n);
    expect(session.value.connections[0]!.frames.length + (session.value.connections[0]!.framesDropped ?? 0)).toBe(sends.length);
  });

  it("holds a Transition that changed no auth state as its ends, and its session is still the whole text's", async () => {
    const c = new Capture().open(1);
    const pad = JSON.stringify({ rows: "r".repeat(2000) });
    for (let i = 0; i < 50; i++) c.recv(1, transition([0, 0], [0, 0], [], { serverTs: 1755800000000000000 + i * 1_000_000 }).replace('"modifications":[]', `"modifications":[{"type":"QueryUpdated","queryId":0,"value":${pad},"logLines":[],"journal":null}]`));
    const events = c.events.map((e, i) => ({ ...e, n: i + 1 }));
    applyMessage({ type: "events", events });
    await sessionSettled();
    expect(heldEvents().map((e) => e.n)).toEqual(events.map((e) => e.n));
    const cut = heldEvents().filter((e) => e.ev.k === "ws-recv" && "head" in e.ev.frame);
    expect(cut).toHaveLength(50);
    expect(session.value).toEqual(reduceSession(emptySession(), events));
  });
});

describe("the published session", () => {
  it("is exactly the pure reducer's session of what arrived, findings included, however the messages split", async () => {
    const events = (await mixedCapture()).map((e, i) => ({ ...e, n: i + 1 }));
    const full = reduceSession(emptySession(), events);
    for (const size of [1, 3, events.length]) {
      clearSession();
      for (let i = 0; i < events.length; i += size) applyMessage({ type: "events", events: events.slice(i, i + size) });
      await sessionSettled();
      expect(session.value).toEqual(full);
    }
  });
});

describe("loss and presence notices", () => {
  it("keeps the largest eviction count the background reported, even on a message with no events", () => {
    applyMessage({ type: "backlog", events: opens(2), hookSeen: true });
    applyMessage({ type: "events", events: [], evicted: 40 });
    expect(backgroundEvicted.value).toBe(40);
    applyMessage({ type: "events", events: opens(1), evicted: 12 });
    expect(backgroundEvicted.value).toBe(40);
    expect(heldEvents()).toHaveLength(3); // the panel itself lost nothing
  });

  it("takes hook presence from the backlog and the relay probe; a later installed event proves it", () => {
    applyMessage({ type: "backlog", events: [], hookSeen: false });
    expect(hookSeen.value).toBe(false);
    applyMessage({ type: "hook", present: true });
    expect(hookSeen.value).toBe(true);
    applyMessage({ type: "hook", present: false }); // a probe during a reload does not unsee a running hook
    expect(hookSeen.value).toBe(true);
  });

  it("a malformed-message marker from the background counts as dropped, with its reason in the timeline", async () => {
    applyMessage({ type: "backlog", events: [{ n: 1, doc: "", frame: 0, ev: { k: "dropped", t: 1, count: 2, reason: "invalid" } }], hookSeen: true });
    await sessionSettled();
    expect(session.value.dropped).toBe(2);
    expect(session.value.timeline.at(-1)?.text).toMatch(/rejected by the extension's background as malformed/);
  });
});
