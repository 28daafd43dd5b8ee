/**
 * clock-skew reflects the real clock difference. convex-js's clientTs is Date.now() at the client's first clock
 * read plus performance.now(), so it runs ahead of the page clock by the page's age at that read, and the server's
 * clientClockSkew (clientTs − server time) inherits it. The reducer removes it using the Connect frame's clientTs
 * against the hook's own timestamp on that ws-send.
 */
import { describe, expect, it } from "vitest";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { Session } from "../../../src/core/session/types";
import { authUser, Capture, connectMsg, signToken, transition } from "./fixtures";

const reduce = (c: Capture): Session => reduceSession(emptySession(), c.events);
const skew = (s: Session) => s.findings.filter((f) => f.id === "clock-skew");

/** A client created `pageAgeMs` after load; the page clock is `pageAheadMs` ahead of the server. */
async function lateClient(pageAgeMs: number, pageAheadMs: number): Promise<Capture> {
  const tok = await signToken({}, { iat: 1_755_800_000 });
  const c = new Capture().installed().at(pageAgeMs).open(1);
  const clientTs = c.t + pageAgeMs; // what monotonicMillis() returns: page clock + page age at first read
  const serverNow = c.t - pageAheadMs + 15; // 15 ms upstream latency
  return c
    .send(1, connectMsg(0, "InitialConnect", undefined, clientTs))
    .send(1, authUser(0, tok))
    .at(30)
    .recv(1, transition([0, 0], [0, 1], [], { clientClockSkew: clientTs - serverNow, serverTs: serverNow * 1_000_000 }));
}

describe("clock-skew corrected for the client's clientTs offset", () => {
  it("a client created 8 s after load, clocks in sync: the wire says +7985 ms, the real difference is -15 ms: no finding", async () => {
    const s = reduce(await lateClient(8000, 0));
    expect(skew(s)).toEqual([]);
    expect(s.connections[0]!.clockSkewMs).toBe(-15);
    const step = s.connections[0]!.steps!.find((x) => x.k === "skew");
    expect(step).toMatchObject({ wireSkewMs: 7985, offsetMs: 8000, skewMs: -15 });
  });

  it("the same late client on a page 7.2 s behind: the wire's 785 ms hides it; the corrected value finds it", async () => {
    const f = skew(reduce(await lateClient(8000, -7200)));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("warning");
    expect(f[0]!.message).toBe(
      "This page's clock is 7.2 s behind server time (limit ±5 s): the Transition's clientClockSkew 785 ms minus 8000 ms by which the client's Connect.clientTs ran ahead of the page clock.",
    );
    expect(f[0]!.evidence).toEqual({ connection: "doc-1:1", frame: 2, value: "-7215 ms" });
  });

  it("boundary: ±5 s of real difference is fine, beyond it is not", async () => {
    expect(skew(reduce(await lateClient(3000, 4985)))).toEqual([]); // 4970 ms
    expect(skew(reduce(await lateClient(3000, 5020)))).toHaveLength(1); // 5005 ms
    expect(skew(reduce(await lateClient(3000, -5020)))).toHaveLength(1);
  });

  it("without the Connect frame the offset is unknown: info, saying the wire value may be only the page's age", () => {
    // The socket predates the hook: only the Transition was captured.
    const c = new Capture().recv(1, transition([0, 0], [1, 0], [], { clientClockSkew: 9000 }));
    const f = skew(reduce(c));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("info");
    expect(f[0]!.message).toMatch(/clientClockSkew 9000 ms .* Connect frame was not captured.* page's age/);
  });
});
