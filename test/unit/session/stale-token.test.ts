/**
 * stale-token-on-reconnect: a tab that slept past its token's exp reconnects and the client re-sends the
 * stored token (Authenticate baseVersion 0 on the new socket). Frames as convex@1.48.0 writes them.
 */
import { describe, expect, it } from "vitest";
import { EXP_LEEWAY_MS } from "../../../src/core/rules/session/stale";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { Session } from "../../../src/core/session/types";
import { authError, authUser, Capture, connectMsg, mqs, signToken, transition } from "./fixtures";

const SESSION = "23d5d71f-0000-4000-8000-0000000000aa";
const T0 = 1_755_800_000_000;
const EXP = 1_755_800_060; // the token lives 60 s from T0
const OIDC_EXPIRED = "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.";
const reduce = (c: Capture): Session => reduceSession(emptySession(), c.events);
const stale = (s: Session) => s.findings.filter((f) => f.id === "stale-token-on-reconnect");

/** The first socket: cached token confirmed (server measured `pageAheadMs`), then a network drop. */
function firstSocket(tok: string, pageAheadMs = 0): Capture {
  const serverTs = (T0 - pageAheadMs) * 1_000_000;
  return new Capture()
    .installed()
    .open(1)
    .send(1, connectMsg(0, "InitialConnect", SESSION, T0))
    .send(1, authUser(0, tok))
    .send(1, mqs(0, 1, [[0, "messages:list"]]))
    .recv(1, transition([0, 0], [1, 1], [0], { clientClockSkew: pageAheadMs, serverTs }))
    .at(20_000)
    .close(1, 1006);
}

/** The tab wakes `sinceT0Ms` after T0: a new socket re-sends the stored token. */
function reconnect(c: Capture, tok: string, sinceT0Ms: number): Capture {
  c.t = T0 + sinceT0Ms;
  return c
    .open(2)
    .send(2, connectMsg(1, "closed with code 1006", SESSION, c.t))
    .send(2, authUser(0, tok))
    .send(2, mqs(0, 1, [[0, "messages:list"]]));
}

describe("stale-token-on-reconnect", () => {
  it("the re-sent token had expired and the backend rejected it: error, with what the server said; not same-token-on-refresh", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000, exp: EXP });
    const fresh = await signToken({}, { iat: 1_755_800_180, exp: 1_755_800_480 });
    const c = reconnect(firstSocket(tok), tok, 180_000).at(40).recv(2, authError(OIDC_EXPIRED, 0, true)).close(2, 1005).at(200);
    c.open(3)
      .send(3, connectMsg(2, null, SESSION, c.t))
      .send(3, authUser(0, fresh))
      .send(3, mqs(0, 1, [[0, "messages:list"]]))
      .recv(3, transition([0, 0], [1, 1], [0]));
    const s = reduce(c);
    const f = stale(s);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("error");
    expect(f[0]!.message).toMatch(/^After the client reconnected \(Connect #1 after "closed with code 1006"\) it re-sent the token it had used before \(iss=https:\/\/issuer\.example\.test sub=user_1\), which had expired 120 s earlier by server time \(the server measured the page clock within 1 s of its own\), exp 2025-08-21T18:14:20Z: the backend rejected it with "Could not verify OIDC token claim/);
    expect(f[0]!.evidence).toEqual({ connection: "doc-1:2", frame: 1, value: "2025-08-21T18:14:20Z" });
    expect(s.findings.map((x) => x.id)).toContain("token-rejected");
    expect(s.findings.map((x) => x.id)).not.toContain("same-token-on-refresh");
    expect(s.findings.map((x) => x.id)).not.toContain("client-gave-up");
  });

  it("boundary with the backend's answer: exp reached by server time (now >= exp) counts; 1 ms before does not", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000, exp: EXP });
    const at = (ms: number) => reduce(reconnect(firstSocket(tok), tok, ms).recv(2, authError(OIDC_EXPIRED, 0, true)));
    expect(stale(at(60_000))).toHaveLength(1);
    expect(stale(at(59_999))).toEqual([]);
  });

  it("boundary without an answer: only past every provider's leeway (customJwt accepts up to 5 s after exp)", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000, exp: EXP });
    const at = (ms: number) => reduce(reconnect(firstSocket(tok), tok, ms));
    expect(stale(at(60_000 + EXP_LEEWAY_MS))).toEqual([]);
    const f = stale(at(60_000 + EXP_LEEWAY_MS + 100));
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/expired 5\.1 s earlier .*past every provider's leeway, so the backend rejects it\.$/);
  });

  it("server time, not the page clock: a page 30 s ahead re-sending 20 s after exp by its own clock is still 10 s early", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000, exp: EXP });
    // clientClockSkew is clientTs - server time; clientTs here equals the hook's clock (no page-age offset).
    expect(stale(reduce(reconnect(firstSocket(tok, 30_000), tok, 80_000)))).toEqual([]);
    // And a page 30 s behind: 35.1 s past exp by server time although only 5.1 s by its own clock.
    const behind = stale(reduce(reconnect(firstSocket(tok, -30_000), tok, 65_100)));
    expect(behind[0]!.message).toMatch(/expired 35\.1 s earlier by server time \(the server measured the page clock 30 s behind\)/);
  });

  it("no finding when the backend accepted the re-sent token, for a new token, or for the first socket", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000, exp: EXP });
    const other = await signToken({ sub: "other" }, { iat: 1_755_800_000, exp: EXP });
    const accepted = reconnect(firstSocket(tok), tok, 63_000).recv(2, transition([0, 0], [1, 1], [0]));
    expect(stale(reduce(accepted))).toEqual([]);
    expect(stale(reduce(reconnect(firstSocket(tok), other, 180_000)))).toEqual([]);
    // The first socket of a client sending an already expired token is token-rejected's, not a reconnect.
    const first = new Capture().open(1).send(1, connectMsg(0, "InitialConnect", SESSION, T0 + 180_000)).send(1, authUser(0, tok));
    first.t = T0 + 180_000;
    expect(stale(reduce(first))).toEqual([]);
  });

  it("after an AuthError the client asked fetchToken for a new token: an identical one is same-token-on-refresh, not this", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000, exp: EXP });
    const c = firstSocket(tok);
    c.events.pop(); // no network drop: the identity expired on the socket instead
    c.t = T0 + 61_000;
    c.recv(1, authError("Convex token identity expired", 1, false)).close(1, 1005);
    c.at(100).open(2).send(2, connectMsg(1, null, SESSION, c.t)).send(2, authUser(0, tok)).recv(2, authError(OIDC_EXPIRED, 0, true));
    const s = reduce(c);
    expect(stale(s)).toEqual([]);
    expect(s.findings.map((x) => x.id)).toContain("same-token-on-refresh");
  });
});
