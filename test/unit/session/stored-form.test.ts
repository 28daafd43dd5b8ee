/**
 * The stored form the live log holds: Transitions that changed no auth state keep only their ends, every other
 * event stays whole, the counts are exact, the session (and so every finding) reads the same from the stored
 * form, and exports say which frames were cut.
 */
import { describe, expect, it } from "vitest";
import { FRAME_HEAD, FRAME_INLINE_LIMIT, FRAME_TAIL } from "../../../src/core/capture/events";
import { SessionBuilder } from "../../../src/core/session/builder";
import { exportHar, exportSession, importCaptured, PARTIAL_FRAMES_NOTE } from "../../../src/core/session/export";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import { ENDS_TAIL } from "../../../src/core/session/stored-form";
import type { CapturedEvent, Session } from "../../../src/core/session/types";
import { authError, authUser, Capture, connectMsg, mqs, signToken, transition, version } from "./fixtures";

const PLAIN = 300;

/** A backend Transition as the server writes it: query results in the middle, real nanosecond serverTs digits. */
function plainTransition(qs: number, identity: number, i: number, order: "backend" | "modifications-last" = "backend"): string {
  const start = JSON.stringify(version(qs, identity, BigInt(i)));
  const end = JSON.stringify(version(qs, identity, BigInt(i + 1)));
  const rows = JSON.stringify(Array.from({ length: 12 }, (_, r) => ({ _id: `k57${i}x${r}`, body: `message ${i}.${r} — ünïcode`, n: r })));
  const mods = `[{"type":"QueryUpdated","queryId":0,"value":${rows},"logLines":[],"journal":null}]`;
  // 1755800000123456789 + i·1000037 ns: not a double, so the whole reading rounds where the ends' digits do not.
  const ts = (1755800000123456789n + BigInt(i) * 1000037n).toString();
  return order === "backend"
    ? `{"type":"Transition","startVersion":${start},"endVersion":${end},"modifications":${mods},"clientClockSkew":-3.25,"serverTs":${ts}}`
    : `{"type":"Transition","startVersion":${start},"endVersion":${end},"clientClockSkew":-3.25,"serverTs":${ts},"modifications":${mods}}`;
}

async function appDay(): Promise<CapturedEvent[]> {
  const token = await signToken({ sub: "user_1" });
  const c = new Capture()
    .installed()
    .open(1)
    .send(1, connectMsg(0, "InitialConnect"))
    .send(1, mqs(0, 1, [[0, "messages:list"]]))
    // Answers a query sent before auth: its modifications are read, so it stays whole even though it is plain.
    .recv(1, plainTransition(1, 0, 0))
    .send(1, authUser(0, token))
    .recv(1, transition([1, 0], [1, 1], [0]));
  for (let i = 1; i <= PLAIN; i++) c.at(100).recv(1, plainTransition(1, 1, i));
  // A failed query is auth evidence (the app may throw "Unauthenticated"): kept whole.
  const failed = plainTransition(1, 1, PLAIN + 1).replace('"type":"QueryUpdated","queryId":0,"value"', '"type":"QueryFailed","queryId":0,"errorMessage":"Unauthenticated","value"');
  c.at(100)
    .recv(1, failed)
    .recv(1, authError("Convex token identity expired", 1, false))
    .close(1, 1005)
    .open(2)
    .send(2, connectMsg(1, null))
    .recv(2, plainTransition(0, 0, 1, "modifications-last")) // the tail does not hold serverTs: kept whole
    .recv(2, transition([0, 0], [1, 0])); // short: nothing to gain
  return c.events;
}

const isEnds = (e: CapturedEvent) => (e.ev.k === "ws-send" || e.ev.k === "ws-recv") && !("text" in e.ev.frame);

/** The session without frame summaries and with serverTs readings to the microsecond (see stored-form.ts). */
function diagnosis(s: Session): unknown {
  return JSON.parse(
    JSON.stringify(s, (k, v) => (k === "summary" ? undefined : typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v)),
  );
}

describe("the stored form of a live log", () => {
  it("cuts exactly the Transitions that changed no auth state, keeps every other event whole, and loses none", async () => {
    const events = await appDay();
    const before = JSON.stringify(events);
    const b = new SessionBuilder();
    const stored = [...b.add(events.slice(0, 5)), ...b.add(events.slice(5))];
    expect(JSON.stringify(events)).toBe(before); // the inputs are untouched
    expect(stored.map((e) => e.n)).toEqual(events.map((e) => e.n));
    expect(stored.filter(isEnds)).toHaveLength(PLAIN);
    stored.forEach((e, i) => {
      if (!isEnds(e)) return expect(e).toBe(events[i]);
      const whole = events[i]!.ev as { k: "ws-recv"; frame: { text: string; size: number } };
      const f = (e.ev as { frame: { head: string; tail: string; size: number } }).frame;
      expect(e).toMatchObject({ ...events[i], ev: { ...whole, frame: expect.anything() } });
      expect(f.size).toBe(whole.frame.size);
      expect(whole.frame.text.startsWith(f.head) && whole.frame.text.endsWith(f.tail)).toBe(true);
      expect(f.head).toMatch(/^\{"type":"Transition","startVersion":\{[^}]+\},"endVersion":\{[^}]+\},"modifications":\[$/);
      expect(f.tail).toMatch(/^"clientClockSkew":-3.25,"serverTs":\d+\}$/);
      expect(f.tail.length).toBeLessThanOrEqual(ENDS_TAIL);
      expect(f.head.length + f.tail.length).toBeLessThan(whole.frame.size / 4);
      expect(`${f.head}${f.tail}`).not.toContain("QueryUpdated"); // the query results are what is let go
      expect(() => JSON.parse(`${f.head}${f.tail}`)).toThrow(); // and the ends never pass for a whole message
    });
  });

  it("reads back to the same session: connections, steps, tokens, timeline and findings", async () => {
    const events = await appDay();
    const b = new SessionBuilder();
    const stored = b.add(events);
    b.refreshFindings();
    const whole = reduceSession(emptySession(), events);
    expect(b.snapshot()).toEqual(whole); // the live session is the whole text's
    const fromStored = reduceSession(emptySession(), stored);
    expect(fromStored.findings).toEqual(whole.findings);
    expect(fromStored.findings.map((f) => f.id)).toEqual(expect.arrayContaining(["identity-expired"]));
    expect(diagnosis(fromStored)).toEqual(diagnosis(whole));
    const frames = fromStored.connections[0]!.frames;
    const cut = frames.filter((f) => f.summary.endsWith("(read from its ends)"));
    expect(cut).toHaveLength(PLAIN);
    expect(cut.every((f) => f.msg === null && f.type === "Transition")).toBe(true);
  });

  it("keeps no parsed message for a Transition that changed no auth state (no row shows it), whole or cut; a failed query's stays", async () => {
    const s = reduceSession(emptySession(), await appDay());
    const [early, advancing, ...rest] = s.connections[0]!.frames.filter((f) => f.type === "Transition");
    const failed = rest.pop()!;
    expect(early!.msg).toBeNull();
    expect(advancing!.msg).toMatchObject({ type: "Transition" });
    expect(failed.msg).toMatchObject({ modifications: [{ type: "QueryFailed", errorMessage: "Unauthenticated" }] });
    expect(rest).toHaveLength(PLAIN);
    expect(rest.every((f) => f.msg === null)).toBe(true);
    expect(s.connections[0]!.steps!.some((st) => st.k === "answered-before-auth")).toBe(true);
  });

  it("shrinks a large plain Transition the hook already cut to its ends (2.5 KB) to the same small ends", async () => {
    const rows = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ _id: `r${i}`, v: i })));
    const big = plainTransition(1, 0, 7).replace(/"value":\[.*\],"logLines"/, `"value":${rows},"logLines"`);
    expect(big.length).toBeGreaterThan(FRAME_INLINE_LIMIT);
    const c = new Capture().open(1).send(1, connectMsg(0, "InitialConnect"));
    c.push({ k: "ws-recv", t: 0, ws: 1, frame: { head: big.slice(0, FRAME_HEAD), tail: big.slice(-FRAME_TAIL), size: big.length } });
    const stored = new SessionBuilder().add(c.events);
    const f = (stored.at(-1)!.ev as { frame: { head: string; tail: string; size: number } }).frame;
    expect(f.size).toBe(big.length);
    expect(f.head.length + f.tail.length).toBeLessThan(256);
    expect(big.startsWith(f.head) && big.endsWith(f.tail)).toBe(true);
    expect(diagnosis(reduceSession(emptySession(), stored))).toEqual(diagnosis(reduceSession(emptySession(), c.events)));
  });

  it("exports say how many frames hold only their ends, and import back to the same findings", async () => {
    const events = await appDay();
    const stored = new SessionBuilder().add(events);
    const whole = reduceSession(emptySession(), events);

    const json = JSON.parse(exportSession(stored));
    expect(json.partialFrames).toEqual({ count: PLAIN, note: PARTIAL_FRAMES_NOTE });
    expect(JSON.parse(exportSession(events)).partialFrames).toBeUndefined();
    expect(reduceSession(emptySession(), importCaptured(exportSession(stored, { includeSecrets: true }))).findings).toEqual(whole.findings);

    const har = exportHar(stored);
    const log = JSON.parse(har).log;
    expect(log.comment).toBe(`${PLAIN} WebSocket messages (with _size and _headLength): ${PARTIAL_FRAMES_NOTE}`);
    const cut = log.entries.flatMap((e: { _webSocketMessages?: { _size?: number }[] }) => e._webSocketMessages ?? []).filter((m: { _size?: number }) => m._size !== undefined);
    expect(cut).toHaveLength(PLAIN);
    expect(JSON.parse(exportHar(events)).log.comment).toBeUndefined();
    const back = reduceSession(emptySession(), importCaptured(exportHar(stored, { includeSecrets: true })));
    expect(back.findings.map((f) => f.id)).toEqual(whole.findings.map((f) => f.id));
  });
});
