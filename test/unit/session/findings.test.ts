/** Every session finding of docs/findings.md, positive and negative, from synthetic captures. */
import { describe, expect, it } from "vitest";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { Session } from "../../../src/core/session/types";
import { sessionFindings } from "../../../src/core/rules/session/index";
import { authAdmin, authError, authNone, authUser, Capture, connectMsg, DEPLOYMENT, mqs, NO_PROVIDER, signToken, transition, cachedTokenConfirmed } from "./fixtures";

const reduce = (c: Capture): Session => reduceSession(emptySession(), c.events);
const ids = (s: Session) => s.findings.map((f) => f.id);
const find = (s: Session, id: string) => s.findings.filter((f) => f.id === id);

/** One authenticated connection: Connect, Authenticate(tok), queries, accepting Transition. */
function authed(c: Capture, ws: number, tok: string, sessionId?: string): Capture {
  return c
    .open(ws)
    .send(ws, connectMsg(0, "InitialConnect", sessionId))
    .send(ws, authUser(0, tok))
    .send(ws, mqs(0, 1, [[0, "messages:list"]]))
    .recv(ws, transition([0, 0], [1, 1], [0]));
}

describe("session findings", () => {
  it("admin-key-exposed: sync Admin and HTTP Convex, key masked", () => {
    const key = "prod:happy-animal-123|eyJ2MiI6IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIn0=";
    const c = new Capture()
      .open(1)
      .send(1, connectMsg(0, "InitialConnect"))
      .send(1, authAdmin(0, key, { subject: "u1" }))
      .http({ url: `${DEPLOYMENT}/api/query`, authorization: `Convex ${key}`, status: 200 });
    const s = reduce(c);
    const f = find(s, "admin-key-exposed");
    expect(f).toHaveLength(2);
    expect(f[0]!.severity).toBe("error");
    expect(f[0]!.evidence).toMatchObject({ connection: "doc-1:1", frame: 1, value: "prod:happy-animal-123|[masked]" });
    expect(f[1]!.evidence).toMatchObject({ request: 0 });
    expect(JSON.stringify(s.findings)).not.toContain("eyJ2MiI6");
    expect(JSON.stringify(s.timeline)).not.toContain("eyJ2MiI6");
    expect(JSON.stringify(s.connections)).not.toContain("eyJ2MiI6");
    expect(s.connections[0]!.auth).toBe("admin");
  });

  it("no-token-sent: queries and never an Authenticate (and not when a token was sent)", async () => {
    const bare = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, mqs(0, 1, [[0, "a:b"], [1, "c:d"]])).recv(1, transition([0, 0], [1, 0], [0, 1]));
    const s = reduce(bare);
    expect(find(s, "no-token-sent")[0]?.message).toMatch(/2 queries and never sent Authenticate/);
    expect(find(s, "no-token-sent")[0]?.evidence).toEqual({ connection: "doc-1:1", frame: 1 });
    expect(ids(reduce(authed(new Capture(), 1, await signToken())))).not.toContain("no-token-sent");
    // Connect only (no queries yet): nothing to say.
    expect(ids(reduce(new Capture().open(1).send(1, connectMsg(0, "InitialConnect"))))).not.toContain("no-token-sent");
  });

  it("queries-before-auth: answered before the identity advanced, on a connection that later authenticates", async () => {
    const tok = await signToken();
    const early = new Capture()
      .open(1)
      .send(1, connectMsg(0, "InitialConnect"))
      .send(1, mqs(0, 1, [[0, "messages:list"]]))
      .recv(1, transition([0, 0], [1, 0], [0]))
      .send(1, authUser(0, tok))
      .recv(1, transition([1, 0], [1, 1], [0]));
    const s = reduce(early);
    expect(find(s, "queries-before-auth")[0]?.evidence).toEqual({ connection: "doc-1:1", frame: 2 });
    expect(ids(reduce(authed(new Capture(), 1, tok)))).not.toContain("queries-before-auth");
    // Sent early but answered only together with the auth Transition: they ran with the identity.
    const sameTransition = new Capture()
      .open(1)
      .send(1, connectMsg(0, "InitialConnect"))
      .send(1, mqs(0, 1, [[0, "messages:list"]]))
      .send(1, authUser(0, tok))
      .recv(1, transition([0, 0], [1, 1], [0]));
    expect(ids(reduce(sameTransition))).not.toContain("queries-before-auth");
  });

  it("same-token-on-refresh: identical token re-sent after a rejection; a new token is fine", async () => {
    const a = await signToken({ sub: "a" });
    const b = await signToken({ sub: "b" });
    const base = (next: string) =>
      new Capture()
        .open(1)
        .send(1, connectMsg(0, "InitialConnect"))
        .send(1, authUser(0, a))
        .recv(1, authError(NO_PROVIDER, 0, true))
        .close(1, 1005)
        .open(2)
        .send(2, connectMsg(1, null))
        .send(2, authUser(0, next));
    const same = reduce(base(a));
    expect(find(same, "same-token-on-refresh")[0]?.evidence).toEqual({ connection: "doc-1:2", frame: 1 });
    expect(find(same, "same-token-on-refresh")[0]?.message).not.toContain(a);
    expect(ids(reduce(base(b)))).not.toContain("same-token-on-refresh");
  });

  it("same-token-on-refresh: went to no auth after one rejection (and the client gave up)", async () => {
    const a = await signToken();
    const c = new Capture()
      .open(1)
      .send(1, connectMsg(0, "InitialConnect"))
      .send(1, authUser(0, a))
      .recv(1, authError(NO_PROVIDER, 0, true))
      .close(1, 1005)
      .open(2)
      .send(2, connectMsg(1, "closed with code 1005"))
      .send(2, mqs(0, 1, []));
    const s = reduce(c);
    expect(find(s, "same-token-on-refresh")[0]?.message).toMatch(/without any token/);
    // The app's clearAuth as the new socket's first auth step (Authenticate None) is not a token on the socket.
    const cleared = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, a)).recv(1, authError(NO_PROVIDER, 0, true)).close(1, 1005);
    const thenCleared = reduce(cleared.open(2).send(2, connectMsg(1, null)).send(2, authNone(0)).send(2, mqs(0, 1, [])));
    expect(find(thenCleared, "client-gave-up")).toHaveLength(1);
    expect(find(thenCleared, "same-token-on-refresh")).toHaveLength(1);
    const gaveUp = find(s, "client-gave-up")[0]?.message;
    expect(gaveUp).toMatch(/After 1 rejected token .*without Authenticate.*gives up before its retry limit .* when the forced refresh after a rejection returns no new token/);
    expect(gaveUp).not.toMatch(/Failed to authenticate|logged/);
  });

  it("same-token-on-refresh: the cached token expired on the socket with no other token sent after its confirmation", async () => {
    const cached = await signToken({}, { iat: 1_755_799_000, exp: 1_755_800_100 });
    const silent = cachedTokenConfirmed(cached)
      .at(100_000)
      .recv(1, authError("Convex token identity expired", 1, false));
    const s = reduce(silent);
    expect(ids(s)).toContain("identity-expired");
    const f = find(s, "same-token-on-refresh");
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("error");
    // Says what was seen (no other token before expiry) and what the client does, not a guessed log line.
    expect(f[0]!.message).toMatch(/sent no other token before that token expired.*forceRefreshToken:true.*initialAuthTokenReuse/);
    // A fresh token after the confirmation: the refresh worked; a later expiry is not this finding.
    const fresh = await signToken({ sub: "user_1" }, { iat: 1_755_800_000, exp: 1_755_800_100 });
    const refreshed = cachedTokenConfirmed(cached)
      .at(300)
      .send(1, authUser(1, fresh))
      .recv(1, transition([0, 1], [0, 2]))
      .at(100_000)
      .recv(1, authError("Convex token identity expired", 2, false));
    expect(ids(reduce(refreshed))).not.toContain("same-token-on-refresh");
  });

  it("same-token-on-refresh is not claimed for a None right after the cached token's confirmation: sign-out and a null refetch look alike", async () => {
    const cached = await signToken();
    // 300 ms (the client's own refetch coming back null) or 4 s (a user signing out): the same frames.
    for (const gap of [300, 4000]) {
      const s = reduce(cachedTokenConfirmed(cached).at(gap).send(1, authNone(1)).recv(1, transition([0, 1], [0, 2])));
      expect(ids(s)).not.toContain("same-token-on-refresh");
      expect(s.findings.filter((f) => f.severity === "error")).toEqual([]);
      const cleared = find(s, "auth-cleared");
      expect(cleared).toHaveLength(1);
      expect(cleared[0]!.severity).toBe("info");
      expect(cleared[0]!.message).toMatch(/sign-out does that, and so does the Convex client itself when the fetchToken\(\{forceRefreshToken:true\}\).*returns null/);
    }
  });

  it("same-token-on-refresh: an identical token on the same socket is a new setAuth (cached fetch), not a forced refresh", async () => {
    const cached = await signToken();
    const again = cachedTokenConfirmed(cached).at(2000).send(1, authUser(1, cached)).recv(1, transition([0, 1], [0, 2]));
    expect(ids(reduce(again))).not.toContain("same-token-on-refresh");
  });

  it("refresh-storm: more than 5 Authenticate in 30 s on one connection, or across reconnects; 5 is fine", async () => {
    const toks = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => signToken({ n: i })));
    const one = (count: number) => {
      const c = new Capture().open(1).send(1, connectMsg(0, "InitialConnect"));
      for (let i = 0; i < count; i++) c.at(2000).send(1, authUser(i, toks[i]!)).recv(1, transition([0, i], [0, i + 1]));
      return reduce(c);
    };
    expect(find(one(6), "refresh-storm")[0]?.message).toMatch(/^6 Authenticate messages within 10 s on one connection/);
    expect(ids(one(5))).not.toContain("refresh-storm");
    const loop = new Capture();
    for (let i = 0; i < 6; i++)
      loop.at(3000).open(i + 1).send(i + 1, connectMsg(i, i ? "closed with code 1011" : "InitialConnect")).send(i + 1, authUser(0, toks[0]!)).close(i + 1, 1011, "InternalServerError");
    expect(find(reduce(loop), "refresh-storm")[0]?.message).toMatch(/across 6 reconnects of one client/);
    // Spread over more than 30 s: no storm.
    const slow = new Capture().open(1).send(1, connectMsg(0, "InitialConnect"));
    for (let i = 0; i < 6; i++) slow.at(10_000).send(1, authUser(i, toks[i]!)).recv(1, transition([0, i], [0, i + 1]));
    expect(ids(reduce(slow))).not.toContain("refresh-storm");
  });

  it("refresh-schedule: observed interval vs exp - iat - 10 s", async () => {
    const cached = await signToken({}, { iat: 1_755_799_000, exp: 1_755_802_600 });
    const fresh = await signToken({}, { iat: 1_755_800_000, exp: 1_755_800_300 });
    const next = await signToken({}, { iat: 1_755_800_290, exp: 1_755_800_590 });
    const c = cachedTokenConfirmed(cached)
      .at(200)
      .send(1, authUser(1, fresh))
      .recv(1, transition([0, 1], [0, 2]))
      .at(290_000)
      .send(1, authUser(2, next))
      .recv(1, transition([0, 2], [0, 3]));
    const f = find(reduce(c), "refresh-schedule");
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/1 scheduled token refresh after confirmation: 290 s \(expected 290 s\)/);
    expect(f[0]!.evidence).toEqual({ connection: "doc-1:1", frame: 5 });
    // Only the immediate post-confirmation refetch of the cached token: nothing scheduled observed.
    const onlyCached = cachedTokenConfirmed(cached).send(1, authUser(1, fresh));
    expect(ids(reduce(onlyCached))).not.toContain("refresh-schedule");
  });

  it("clock-skew: clientClockSkew beyond ±5 s, or iat in the future vs serverTs", async () => {
    const tok = await signToken({}, { iat: 1_755_800_000 });
    const skewed = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, tok)).recv(1, transition([0, 0], [0, 1], [], { clientClockSkew: -7200 }));
    const f = find(reduce(skewed), "clock-skew");
    expect(f[0]?.message).toMatch(/7\.2 s behind server time .*clientClockSkew -7200 ms minus 0 ms/);
    const fine = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, tok)).recv(1, transition([0, 0], [0, 1], [], { clientClockSkew: 4999 }));
    expect(ids(reduce(fine))).not.toContain("clock-skew");
    // Server time 1_755_800_000 s minus 60 s: the token's iat is a minute ahead.
    const future = new Capture().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, tok)).recv(1, transition([0, 0], [0, 1], [], { serverTs: 1_755_799_940_000_000_000 }));
    const g = find(reduce(future), "clock-skew");
    expect(g[0]?.message).toMatch(/issued 60 s in the future/);
    expect(g[0]?.evidence).toMatchObject({ claim: "iat", connection: "doc-1:1" });
  });

  it("http-auth-missing, http-auth-rejected (classified), bad-auth-scheme", async () => {
    const tok = await signToken();
    const c = authed(new Capture(), 1, tok)
      .http({ url: `${DEPLOYMENT}/api/query`, authorization: null, status: 200 })
      .http({ url: `${DEPLOYMENT}/api/mutation`, authorization: `Bearer ${tok}`, status: 200 })
      .http({ url: `${DEPLOYMENT}/api/action`, authorization: `Bearer ${tok}`, status: 401, errorBody: `{"code":"NoAuthProvider","message":"${NO_PROVIDER.replace(/"/g, '\\"')}"}` })
      .http({ url: `${DEPLOYMENT}/api/query`, authorization: "Basic dXNlcjpwYXNz", status: 400, errorBody: '{"code":"InvalidAdminKey","message":"Invalid admin key"}' });
    const s = reduce(c);
    expect(find(s, "http-auth-missing")).toHaveLength(1);
    expect(find(s, "http-auth-missing")[0]!.evidence).toEqual({ request: 0 });
    const rej = find(s, "http-auth-rejected");
    expect(rej).toHaveLength(1);
    expect(rej[0]!.message).toMatch(/401 NoAuthProvider.*iss-mismatch/);
    expect(rej[0]!.evidence).toMatchObject({ request: 2 });
    expect(s.tokens.filter((t) => t.request !== undefined).map((t) => t.outcome)).toEqual(["accepted", "rejected"]);
    const bad = find(s, "bad-auth-scheme");
    expect(bad[0]?.message).toMatch(/"Authorization: Basic …".*400 InvalidAdminKey "Invalid admin key"/);
    expect(bad[0]?.message).not.toContain("dXNlcjpwYXNz");
    // Without an authenticated socket, an anonymous HTTP call is not flagged.
    const anon = new Capture().http({ url: `${DEPLOYMENT}/api/query`, authorization: null, status: 200 });
    expect(ids(reduce(anon))).toEqual([]);
  });

  it("identity-mismatch: two clients in one page, different iss|sub; not a user switch in one client", async () => {
    const alice = await signToken({ sub: "alice" });
    const bob = await signToken({ sub: "bob" });
    const two = authed(authed(new Capture(), 1, alice, "session-a"), 2, bob, "session-b");
    const f = find(reduce(two), "identity-mismatch");
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/\|alice.*\|bob/);
    expect(ids(reduce(authed(authed(new Capture(), 1, alice, "session-a"), 2, alice, "session-b")))).not.toContain("identity-mismatch");
    const switchUser = authed(new Capture(), 1, alice, "session-a").send(1, authNone(1)).recv(1, transition([1, 1], [1, 2])).send(1, authUser(2, bob)).recv(1, transition([1, 2], [1, 3]));
    expect(ids(reduce(switchUser))).not.toContain("identity-mismatch");
    // Different documents (a reload) are not one page.
    const other = new Capture("doc-2");
    authed(other, 1, bob, "session-b");
    const reload = reduceSession(reduce(authed(new Capture(), 1, alice, "session-a")), other.events.map((e) => ({ ...e, n: e.n + 100 })));
    expect(ids(reload)).not.toContain("identity-mismatch");
  });

  it("events-dropped: hook drops, relay drops and sequence gaps are counted", () => {
    const c = new Capture().open(1).push({ k: "dropped", t: 0, count: 3 }).skip(2).send(1, connectMsg(0, "InitialConnect"));
    c.events.push({ n: 99, doc: "", frame: 0, ev: { k: "dropped", t: c.t, count: 4 } });
    const s = reduce(c);
    // 3 (hook) + 2 (n 3 and 4 missing) + 93 (n 6…98 missing) + 4 (relay)
    expect(s.dropped).toBe(102);
    expect(find(s, "events-dropped")[0]?.message).toMatch(/^102 captured events were lost/);
    expect(ids(reduce(new Capture().open(1)))).not.toContain("events-dropped");
  });

  it("sessionFindings can be called on its own and is deterministic", async () => {
    const s = reduce(authed(new Capture(), 1, await signToken()));
    expect(sessionFindings(s)).toEqual(s.findings);
  });
});
