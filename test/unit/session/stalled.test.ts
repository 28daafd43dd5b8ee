/**
 * token-fetch-stalled: an open sync socket on which the client sent nothing for more than 10 s. The first
 * cases use the REAL convex client's frames (a recording socket): with setAuth's fetchToken pending when the
 * socket opens, convex@1.48.0 sends nothing at all — not even Connect.
 */
import { anyApi } from "convex/server";
import { afterEach, describe, expect, it } from "vitest";
import { sessionFindings } from "../../../src/core/rules/session/index";
import { STALL_MS } from "../../../src/core/rules/session/stalled";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { CapturedEvent, Session } from "../../../src/core/session/types";
import { authError, authUser, Capture, connectMsg, mqs, NO_PROVIDER, signToken, transition } from "./fixtures";
import { realClientWire, type RealClientWire } from "./real-client";

const reduce = (events: CapturedEvent[]): Session => reduceSession(emptySession(), events);
const stalled = (s: Session, now?: number) => sessionFindings(s, now === undefined ? {} : { now }).filter((f) => f.id === "token-fetch-stalled");
const openTime = (events: CapturedEvent[]) => events.find((e) => e.ev.k === "ws-open")!.ev.t;
const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

let real: RealClientWire | null = null;
afterEach(async () => {
  await real?.client.close();
  real = null;
});

describe("token-fetch-stalled", () => {
  it("the real client with a fetchToken that never resolves: the socket opens and nothing is sent; fires after 10 s", async () => {
    real = realClientWire();
    real.client.onUpdate(anyApi.users!.whoami!, {}, () => {});
    void real.client.setAuth(() => new Promise<string | null>(() => {}));
    await real.opened;
    await settle();
    // What the real client put on the wire: the socket opened, and not one frame was sent.
    expect(real.events.map((e) => e.ev.k)).toEqual(["ws-new", "ws-open"]);
    const s = reduce(real.events);
    const open = openTime(real.events);
    expect(stalled(s, open + STALL_MS)).toEqual([]);
    const f = stalled(s, open + STALL_MS + 1);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("warning");
    expect(f[0]!.message).toMatch(/^The sync socket to https:\/\/happy-animal-123\.convex\.cloud opened and the client sent nothing on it \(not even Connect\) for 10 s so far: no query or mutation has run\./);
    expect(f[0]!.message).toMatch(/fetchToken has not returned .* expectAuth/);
    expect(f[0]!.evidence).toEqual({ connection: "doc-real:1" });
  });

  it("the real client whose page runs queries and never authenticates: Connect and the queries go out at once (no-token-sent, not a stall)", async () => {
    real = realClientWire();
    real.client.onUpdate(anyApi.messages!.list!, {}, () => {});
    await real.opened;
    await settle();
    expect(real.events.filter((e) => e.ev.k === "ws-send").map((e) => JSON.parse((e.ev as { frame: { text: string } }).frame.text).type)).toEqual(["Connect", "ModifyQuerySet"]);
    const s = reduce(real.events);
    const later = openTime(real.events) + 60_000;
    expect(stalled(s, later)).toEqual([]);
    expect(sessionFindings(s, { now: later }).map((f) => f.id)).toContain("no-token-sent");
  });

  it("the real client after an AuthError: it stops its socket and waits for the forced fetchToken, which hangs", async () => {
    const tok = await signToken();
    let calls = 0;
    real = realClientWire();
    real.client.onUpdate(anyApi.users!.whoami!, {}, () => {});
    void real.client.setAuth(() => (calls++ === 0 ? Promise.resolve(tok) : new Promise<string | null>(() => {})));
    await real.opened;
    await settle();
    real.receive(authError(NO_PROVIDER, 0, true));
    await settle();
    // One socket: Connect, Authenticate, ModifyQuerySet, the AuthError, then the client closed it and made no other.
    expect(real.sockets()).toBe(1);
    expect(calls).toBe(2);
    const s = reduce(real.events);
    const closedAt = s.connections[0]!.closedAt!;
    expect(stalled(s, closedAt + STALL_MS)).toEqual([]);
    const f = stalled(s, closedAt + STALL_MS + 1);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^After the AuthError "No auth provider found matching the given token\. .*" the socket to https:\/\/happy-animal-123\.convex\.cloud closed and the client opened no new one for 10 s so far\. .*fetchToken\(\{forceRefreshToken:true\}\) returns .* has not returned/);
    expect(f[0]!.evidence).toEqual({ connection: "doc-real:1", frame: 3 });
  });

  it("after an AuthError, a reconnect within a second or two (give-up backoff, a quick refetch) is not a stall; a late one is", async () => {
    const tok = await signToken();
    const afterError = (gapMs: number) =>
      new Capture()
        .open(1)
        .send(1, connectMsg(0, "InitialConnect"))
        .send(1, authUser(0, tok))
        .recv(1, authError(NO_PROVIDER, 0, true))
        .close(1, 1005)
        .at(gapMs)
        .open(2)
        .send(2, connectMsg(1, null))
        .send(2, mqs(0, 1, []));
    expect(stalled(reduce(afterError(1200).events))).toEqual([]);
    expect(stalled(reduce(afterError(14_000).events))[0]!.message).toMatch(/opened no new one for 14 s\. .* so that call took that long\.$/);
  });

  it("without `now`, the latest captured event is the clock: the server's 15 s Ping proves the silence", () => {
    const c = new Capture().installed().open(1);
    const s1 = reduceSession(emptySession(), c.events);
    expect(s1.findings.map((f) => f.id)).not.toContain("token-fetch-stalled");
    c.at(15_000).recv(1, JSON.stringify({ type: "Ping" }));
    const s2 = reduceSession(emptySession(), c.events);
    expect(s2.findings.filter((f) => f.id === "token-fetch-stalled")[0]?.message).toMatch(/for 15 s so far/);
    // Incremental reduction agrees with the full replay.
    expect(reduceSession(s1, c.events.slice(s1.cursor!.lastN! + 1)).findings).toEqual(s2.findings);
  });

  it("a stall that ended: Connect 12 s after the socket opened (fetchToken was slow), reported with what came next", async () => {
    const tok = await signToken();
    const c = new Capture()
      .open(1)
      .at(12_300)
      .send(1, connectMsg(1, null))
      .send(1, authUser(0, tok))
      .send(1, mqs(0, 1, [[0, "messages:list"]]))
      .recv(1, transition([0, 0], [1, 1], [0]));
    const f = stalled(reduce(c.events));
    expect(f[0]!.message).toMatch(/for 12\.3 s, then sent Connect: until then no query or mutation ran\./);
    // 10 s exactly is not "over 10 s".
    const quick = new Capture().open(1).at(STALL_MS).send(1, connectMsg(1, null)).send(1, mqs(0, 1, []));
    expect(stalled(reduce(quick.events))).toEqual([]);
  });

  it("a silent socket that closed after 11 s; and none for a socket whose page was replaced by a reload", () => {
    const closed = new Capture().open(1).at(11_000).close(1, 1006);
    expect(stalled(reduce(closed.events))[0]!.message).toMatch(/for 11 s, until it closed \(code 1006\): no query or mutation ran on it\./);
    // The old document's socket never reported a close: the new top-level load 2 s later ends it.
    const reload = new Capture("doc-1").installed().open(1).at(2000);
    reload.push({ k: "installed", t: 0, url: "https://app.example.test/", top: true }, "doc-2");
    const s = reduce(reload.events);
    expect(stalled(s, reload.t + 60_000)).toEqual([]);
  });
});
