/** reduceSession is pure and incremental: any split of the events gives the full replay's result. */
import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_TAIL } from "../../../src/core/capture/events";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import { MAX_FRAMES_PER_CONNECTION } from "../../../src/core/session/frames";
import type { CapturedEvent, Session } from "../../../src/core/session/types";
import { authUser, Capture, connectMsg, mixedCapture, mqs, signToken, transition } from "./fixtures";

describe("replay", () => {
  it("incremental reduction equals full replay for every batch size", async () => {
    const events = await mixedCapture();
    const full = reduceSession(emptySession(), events);
    expect(full.findings.length).toBeGreaterThan(3);
    for (const size of [1, 2, 3, 7]) {
      let s: Session = emptySession();
      for (let i = 0; i < events.length; i += size) s = reduceSession(s, events.slice(i, i + size));
      expect(s).toEqual(full);
    }
  });

  it("never mutates its input session", async () => {
    const events = await mixedCapture();
    const half = reduceSession(emptySession(), events.slice(0, 8));
    const snapshot = JSON.stringify(half);
    reduceSession(half, events.slice(8));
    expect(JSON.stringify(half)).toBe(snapshot);
    expect(reduceSession(half, [])).toBe(half);
  });

  it("reads a head+tail Transition's versions and skew in the session", async () => {
    const tok = await signToken();
    const rows = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ _id: `r${i}`, v: i })));
    const big = `{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":1,"identity":1,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":${rows},"logLines":[],"journal":null}],"clientClockSkew":12000,"serverTs":1755800000000000000}`;
    const c = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, tok)).send(1, mqs(0, 1, [[0, "big:list"]]));
    c.push({ k: "ws-recv", t: 0, ws: 1, frame: { head: big.slice(0, FRAME_HEAD), tail: big.slice(-FRAME_TAIL), size: big.length } });
    const s = reduceSession(emptySession(), c.events);
    const conn = s.connections[0]!;
    expect(conn).toMatchObject({ auth: "accepted", identityVersion: 1, clockSkewMs: 12000, serverTimeMs: 1755800000000 });
    expect(conn.frames[3]).toMatchObject({ type: "Transition", size: big.length, msg: null, summary: expect.stringContaining("read from its ends") });
    expect(s.findings.map((f) => f.id)).toContain("clock-skew");
  });

  it("records chunk problems with the client's texts", () => {
    const c = new Capture().open(1);
    c.recv(1, JSON.stringify({ type: "TransitionChunk", chunk: "{", partNumber: 1, totalParts: 2, transitionId: "x" }));
    c.recv(1, JSON.stringify({ type: "TransitionChunk", chunk: "{", partNumber: 0, totalParts: 2, transitionId: "x" }));
    c.recv(1, '{"type":"Ping"}');
    const frames = reduceSession(emptySession(), c.events).connections[0]!.frames;
    expect(frames[0]!.problem).toBe("TransitionChunk received out of order: expected part 0, got 1");
    expect(frames[2]!.problem).toBe("Received unexpected Ping while buffering TransitionChunks");
  });

  it("bounds frames per connection, counts the rest, and still keeps auth frames", async () => {
    const tok = await signToken();
    const c = new Capture().open(1).send(1, connectMsg(0, "InitialConnect"));
    for (let i = 0; i < MAX_FRAMES_PER_CONNECTION + 99; i++) c.recv(1, '{"type":"Ping"}');
    c.send(1, authUser(0, tok)).recv(1, transition([0, 0], [0, 1]));
    const s = reduceSession(emptySession(), c.events);
    const conn = s.connections[0]!;
    expect(conn.frames).toHaveLength(MAX_FRAMES_PER_CONNECTION + 2);
    expect(conn.framesDropped).toBe(100);
    expect(conn.auth).toBe("accepted");
    expect(s.findings.find((f) => f.id === "events-dropped")?.message).toMatch(/100 frames were counted but not kept/);
  });

  it("keeps sockets apart (`${doc}:${ws}`) and survives garbage frames and unknown events", () => {
    const c = new Capture().open(1);
    c.push({ k: "ws-new", t: 0, ws: 1, url: "wss://other.convex.cloud/api/1.48.0/sync" }, "doc-2");
    c.send(1, "{not json").recv(1, '{"type":"Nope"}');
    c.push({ k: "ws-send", t: 0, ws: 1, frame: { text: "", size: 12, binary: true } }, "doc-2");
    c.push({ k: "future-kind", t: 0 } as unknown as CapturedEvent["ev"]);
    c.push({ k: "ws-send", t: 0, ws: 7, frame: { text: connectMsg(0, "InitialConnect"), size: 10 } });
    const s = reduceSession(emptySession(), c.events);
    expect(s.connections.map((x) => x.id)).toEqual(["doc-1:1", "doc-2:1", "doc-1:7"]);
    expect(s.connections[0]!.frames.map((f) => [f.type, f.problem])).toEqual([
      ["invalid", expect.stringMatching(/^client frame is not JSON/)],
      ["invalid", 'unknown server message type "Nope"'],
    ]);
    expect(s.connections[1]!.frames[0]!.problem).toMatch(/binary frame of 12 bytes/);
    expect(s.connections[2]).toMatchObject({ url: "", deployment: "", sessionId: "23d5d71f-0000-4000-8000-000000000001" });
  });
});
