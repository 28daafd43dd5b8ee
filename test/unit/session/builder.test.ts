/** SessionBuilder: the panel's in-place reducer gives exactly the pure reducer's session, without copying. */
import { describe, expect, it } from "vitest";
import { SessionBuilder } from "../../../src/core/session/builder";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import { Capture, connectMsg, mixedCapture, mqs } from "./fixtures";

describe("SessionBuilder", () => {
  it("equals the pure reducer's full replay for every batch size, findings included", async () => {
    const events = await mixedCapture();
    const full = reduceSession(emptySession(), events);
    expect(full.findings.length).toBeGreaterThan(3);
    for (const size of [1, 2, 3, 7, events.length]) {
      const b = new SessionBuilder();
      for (let i = 0; i < events.length; i += size) b.add(events.slice(i, i + size));
      b.refreshFindings();
      expect(b.snapshot()).toEqual(full);
    }
  });

  it("keeps the findings it last computed until asked to refresh them", async () => {
    const events = await mixedCapture();
    const b = new SessionBuilder();
    b.add(events.slice(0, 4));
    b.refreshFindings();
    const early = b.snapshot().findings;
    expect(b.stale).toBe(false);
    b.add(events.slice(4));
    expect(b.stale).toBe(true);
    expect(b.snapshot().findings).toBe(early);
    b.refreshFindings();
    expect(b.snapshot().findings).toEqual(reduceSession(emptySession(), events).findings);
    expect(b.stale).toBe(false);
  });

  it("appends in place: a batch copies neither the timeline nor a connection's steps and frames, yet a changed connection is a new object", () => {
    const c = new Capture().installed().open(1).send(1, connectMsg(0, "InitialConnect"));
    for (let i = 0; i < 1500; i++) c.send(1, mqs(i, i + 1, [[1000 + i, "q:list"]], [1000 + i]));
    const b = new SessionBuilder();
    b.add(c.events.slice(0, 100));
    const before = b.snapshot();
    const conn = before.connections[0]!;
    const lists = { timeline: before.timeline, steps: conn.steps, frames: conn.frames };
    b.add(c.events.slice(100));
    const after = b.snapshot();
    expect(after).not.toBe(before); // a new top-level object, so a signal holding it sees the change
    expect(after.timeline).toBe(lists.timeline);
    const grown = after.connections[0]!;
    expect(grown).not.toBe(conn); // views skip what is ===: a changed connection must be a new object
    expect(grown.steps).toBe(lists.steps);
    expect(grown.frames).toBe(lists.frames);
    expect(after.timeline).toHaveLength(1500 + 2);
    expect(grown.steps).toHaveLength(1500 + 2);
  });
});
