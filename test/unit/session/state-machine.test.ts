/** The client auth state machine as seen on the wire (reference convex-protocol §4), through reduceSession. */
import { describe, expect, it } from "vitest";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { Session } from "../../../src/core/session/types";
import { authError, authNone, authUser, Capture, connectMsg, DEPLOYMENT, ISS, mqs, NO_PROVIDER, signToken, transition, cachedTokenConfirmed } from "./fixtures";

const reduce = (c: Capture): Session => reduceSession(emptySession(), c.events);
const ids = (s: Session) => s.findings.map((f) => f.id);

describe("auth state machine", () => {
  it("cached token → confirmed → fresh refetch confirmed", async () => {
    const cached = await signToken({ sub: "user_1" }, { iat: 1_755_799_000 });
    const fresh = await signToken({ sub: "user_1" }, { iat: 1_755_800_000 });
    const c = new Capture()
      .installed()
      .open(1)
      .send(1, connectMsg(0, "InitialConnect"))
      .send(1, authUser(0, cached))
      .send(1, mqs(0, 1, [[0, "messages:list"]]))
      .at(80)
      .recv(1, transition([0, 0], [1, 1], [0]))
      .at(150)
      .send(1, authUser(1, fresh))
      .at(60)
      .recv(1, transition([1, 1], [1, 2]));
    const s = reduce(c);
    const conn = s.connections[0]!;
    expect(conn).toMatchObject({ id: "doc-1:1", deployment: DEPLOYMENT, clientVersion: "1.48.0", state: "open", auth: "accepted", identity: `${ISS}|user_1`, identityVersion: 2, sessionId: expect.any(String), connectionCount: 0, lastCloseReason: "InitialConnect" });
    expect(s.tokens.map((t) => [t.baseVersion, t.outcome])).toEqual([
      [0, "accepted"],
      [1, "accepted"],
    ]);
    expect(s.timeline.map((e) => e.kind)).toEqual(["navigation", "connect", "authenticate", "queries", "auth-accepted", "authenticate", "auth-accepted"]);
    expect(ids(s).sort()).toEqual(["token-accepted", "token-accepted"]);
    // Timeline texts never carry the token.
    expect(JSON.stringify(s.timeline)).not.toContain(cached.split(".")[2]!);
  });

  it("a pending token is not accepted by a Transition that does not pass its baseVersion", async () => {
    const tok = await signToken();
    const c = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, tok)).recv(1, transition([0, 0], [1, 0], []));
    const s = reduce(c);
    expect(s.connections[0]!.auth).toBe("pending");
    expect(s.tokens[0]!.outcome).toBe("pending");
    expect(ids(s)).not.toContain("token-accepted");
  });

  it("rejected 4 times (cached, fresh, 2 retries) → the client gives up", async () => {
    const toks = await Promise.all([1, 2, 3, 4].map((i) => signToken({ sub: `user_${i}` })));
    const c = new Capture();
    toks.forEach((tok, i) => {
      c.open(i + 1)
        .send(i + 1, connectMsg(i, i === 0 ? "InitialConnect" : null))
        .send(i + 1, authUser(0, tok))
        .send(i + 1, mqs(0, 1, [[0, "messages:list"]]))
        .at(50)
        .recv(i + 1, authError(NO_PROVIDER, 0, true))
        .close(i + 1, 1005)
        .at(100);
    });
    c.open(5).send(5, connectMsg(4, "closed with code 1005")).send(5, mqs(0, 1, [[0, "messages:list"]])).recv(5, transition([0, 0], [1, 0], [0]));
    const s = reduce(c);
    expect(s.tokens.map((t) => t.outcome)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    expect(s.tokens[0]!.error).toBe(NO_PROVIDER);
    expect(s.connections.map((x) => x.auth)).toEqual(["rejected", "rejected", "rejected", "rejected", "none"]);
    const rejected = s.findings.filter((f) => f.id === "token-rejected");
    expect(rejected).toHaveLength(4);
    expect(rejected[0]!.message).toContain("iss-mismatch");
    expect(rejected[0]!.message).toContain("NoAuthProvider");
    expect(rejected[0]!.evidence).toEqual({ connection: "doc-1:1", frame: 3, value: expect.stringContaining("iss-mismatch") });
    const gaveUp = s.findings.filter((f) => f.id === "client-gave-up");
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]!.message).toMatch(/After 4 rejected tokens.*Connect #4/);
    // What was seen plus what the client does per the reference; never a quote of a log line the wire cannot show.
    expect(gaveUp[0]!.message).toMatch(/without Authenticate, so it now runs signed out\. The Convex client gives up after a token is rejected 3 times in a row \(4 when it started from a cached token\)/);
    expect(gaveUp[0]!.message).not.toMatch(/Failed to authenticate|logged/);
    expect(gaveUp[0]!.evidence).toEqual({ connection: "doc-1:5", frame: 0 });
    // Exhausted attempts are not a failed refetch.
    expect(ids(s)).not.toContain("same-token-on-refresh");
    // The last connection ran queries without auth, but the client did authenticate before: not no-token-sent.
    expect(ids(s)).not.toContain("no-token-sent");
  });

  it("identity expired after acceptance", async () => {
    const cached = await signToken({}, { iat: 1_755_799_000 });
    const fresh = await signToken({}, { iat: 1_755_800_000, exp: 1_755_800_060 });
    const c = cachedTokenConfirmed(cached)
      .send(1, authUser(1, fresh))
      .recv(1, transition([0, 1], [0, 2]))
      .at(61_000)
      .recv(1, authError("Convex token identity expired", 2, false))
      .close(1, 1005);
    const s = reduce(c);
    expect(s.connections[0]!.auth).toBe("expired");
    expect(s.tokens[1]!.outcome).toBe("accepted");
    const f = s.findings.find((x) => x.id === "identity-expired");
    expect(f?.message).toContain("Convex token identity expired");
    // The token's exp as ISO and relative to the error, never a bare epoch.
    expect(f?.message).toMatch(/\(token exp 2025-08-21T\d\d:\d\d:\d\dZ, (\d+ (s|min|h)( \d+ (s|min))? (before|after) this error|at the time of this error)\)/);
    expect(f?.message).not.toContain("1755800060");
    expect(f?.evidence).toEqual({ connection: "doc-1:1", frame: 5 });
    expect(ids(s)).not.toContain("token-rejected");
    expect(ids(s)).not.toContain("same-token-on-refresh");
  });

  it("clearAuth sends Authenticate None: auth cleared", async () => {
    const cached = await signToken({}, { iat: 1_755_799_000 });
    const fresh = await signToken({}, { iat: 1_755_800_000 });
    const c = cachedTokenConfirmed(cached)
      .send(1, authUser(1, fresh))
      .recv(1, transition([0, 1], [0, 2]))
      .at(3000) // a sign-out a few seconds after sign-in, after the client's refetch sent its fresh token
      .send(1, authNone(2))
      .recv(1, transition([0, 2], [0, 3]));
    const s = reduce(c);
    expect(s.connections[0]).toMatchObject({ auth: "cleared", identity: null });
    expect(s.findings.find((f) => f.id === "auth-cleared")?.evidence).toEqual({ connection: "doc-1:1", frame: 5 });
    expect(ids(s).sort()).toEqual(["auth-cleared", "token-accepted", "token-accepted"]);
    expect(s.findings.find((f) => f.id === "auth-cleared")!.message).not.toMatch(/forceRefreshToken/);
  });
});
