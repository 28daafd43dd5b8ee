// Raw `ws` tests of the harness's frame shapes against reference convex-protocol.md §2–§3, §8.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./deployment.ts";
import { connectMsg, openRaw, waitFor } from "./test-helpers.ts";
import { decodeU64, encodeU64 } from "./u64.ts";
import { MSG } from "./validate.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demo: false, pingIdleMs: 300, expiryCheckMs: 100 });
});
afterAll(async () => {
  await h.close();
});

const whoamiAdd = { type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: "users:whoami", args: [{}] }] };

describe("u64 timestamps", () => {
  it("encodes the reference examples and round-trips large values", () => {
    expect(encodeU64(0n)).toBe("AAAAAAAAAAA=");
    expect(encodeU64(1n)).toBe("AQAAAAAAAAA=");
    expect(decodeU64("AQAAAAAAAAA=")).toBe(1n);
    expect(decodeU64(encodeU64(1755800000000000000n))).toBe(1755800000000000000n);
    expect(() => decodeU64("AAAA")).toThrow(/not a base64 u64/);
  });
});

describe("sync socket", () => {
  it("accepts a token: Transition advances identity, then querySet, with base64 LE ns ts, skew and serverTs", async () => {
    const s = await openRaw(h.url);
    const token = await h.tokenFor("good");
    s.send(connectMsg(Date.now() + 60_000));
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: token });
    s.send(whoamiAdd);
    const t1 = await s.next("Transition");
    expect(t1.startVersion).toEqual({ querySet: 0, identity: 0, ts: "AAAAAAAAAAA=" });
    expect(t1.endVersion.identity).toBe(1);
    expect(t1.endVersion.querySet).toBe(0);
    const tsNs = decodeU64(t1.endVersion.ts);
    expect(Number(tsNs / 1_000_000n)).toBeGreaterThan(Date.now() - 10_000);
    expect(Number(tsNs / 1_000_000n)).toBeLessThanOrEqual(Date.now());
    // The client clock was set 60 s ahead: clientClockSkew ≈ +60000 ms.
    expect(t1.clientClockSkew).toBeGreaterThan(59_000);
    expect(t1.clientClockSkew).toBeLessThan(61_000);
    expect(typeof t1.serverTs).toBe("number");
    expect(Math.abs(t1.serverTs / 1e6 - Date.now())).toBeLessThan(10_000);

    const t2 = await s.next("Transition");
    expect(t2.startVersion).toEqual(t1.endVersion);
    expect(t2.endVersion).toMatchObject({ querySet: 1, identity: 1 });
    expect(decodeU64(t2.endVersion.ts)).toBeGreaterThan(tsNs);
    const upd = t2.modifications[0];
    expect(upd).toMatchObject({ type: "QueryUpdated", queryId: 0, logLines: [], journal: null });
    const iss = `${h.url}/oidc`;
    expect(upd.value).toMatchObject({ tokenIdentifier: `${iss}|user_2harnessGood`, subject: "user_2harnessGood", issuer: iss, emailVerified: true });
    s.ws.close();
  });

  it("rejects a token with an AuthError carrying the current identity version, then closes with no status (1005)", async () => {
    const s = await openRaw(h.url, "/api/sync");
    s.send(connectMsg());
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: await h.tokenFor("clerk-no-template") });
    const err = await s.next("AuthError");
    expect(Object.keys(err).sort()).toEqual(["authUpdateAttempted", "baseVersion", "error", "type"]);
    expect(err.baseVersion).toBe(0);
    expect(err.authUpdateAttempted).toBe(true);
    expect(err.error).toBe(
      `${MSG.noProviderList}[OIDC(domain=${h.url}/oidc, app_id=convex), ` +
        `CustomJWT(issuer=${h.issuers.workos.userManagementIssuer}, app_id=none), ` +
        `CustomJWT(issuer=${h.url}/workos/, app_id=${h.issuers.workos.clientId})]`,
    );
    expect(await s.closed).toEqual({ code: 1005, reason: "" });
  });

  it("reports the server's version in AuthError after an accepted identity (baseVersion 1, not advanced)", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: await h.tokenFor("good") });
    expect((await s.next("Transition")).endVersion.identity).toBe(1);
    s.send({ type: "Authenticate", baseVersion: 1, tokenType: "User", value: "not.a.jwt" });
    const err = await s.next("AuthError");
    expect(err).toEqual({ type: "AuthError", error: MSG.parse, baseVersion: 1, authUpdateAttempted: true });
    expect((await s.closed).code).toBe(1005);
  });

  it("closes with 1011 InternalServerError when Authenticate.baseVersion is not the current identity version", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send({ type: "Authenticate", baseVersion: 3, tokenType: "None" });
    expect(await s.closed).toEqual({ code: 1011, reason: "InternalServerError" });
  });

  it("Authenticate None advances identity; whoami is null", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send(whoamiAdd);
    const t1 = await s.next("Transition");
    expect(t1.endVersion).toMatchObject({ querySet: 1, identity: 0 });
    expect(t1.modifications[0].value).toBeNull();
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "None" });
    const t2 = await s.next("Transition");
    expect(t2.startVersion.identity).toBe(0);
    expect(t2.endVersion.identity).toBe(1);
    s.ws.close();
  });

  it("accepts the admin key (plain admin: whoami null; impersonating: those attributes) and rejects others", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send(whoamiAdd);
    await s.next("Transition");
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "Admin", value: h.adminKey });
    const t = await s.next("Transition");
    expect(t.endVersion.identity).toBe(1);
    expect(t.modifications[0].value).toBeNull();
    s.send({ type: "Authenticate", baseVersion: 1, tokenType: "Admin", value: h.adminKey, impersonating: { issuer: "https://x.test", subject: "u1", name: "Imp" } });
    const t2 = await s.next("Transition");
    expect(t2.modifications[0].value).toEqual({ issuer: "https://x.test", subject: "u1", name: "Imp", tokenIdentifier: "https://x.test|u1" });
    s.ws.close();

    expect(h.adminKey).toMatch(/^dev:harness\|[A-Za-z0-9+/]+=*$/);
    const bad = await openRaw(h.url);
    bad.send(connectMsg());
    bad.send({ type: "Authenticate", baseVersion: 0, tokenType: "Admin", value: `${h.adminKey}x` });
    expect(await bad.next("AuthError")).toEqual({ type: "AuthError", error: MSG.badAdminKey, baseVersion: 0, authUpdateAttempted: true });
    expect((await bad.closed).code).toBe(1005);
  });

  it("answers Mutation and Action; the following Transition reaches the mutation ts", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 7, udfPath: "messages:list", args: [{ channel: "frames" }] }] });
    expect((await s.next("Transition")).modifications[0].value).toEqual([]);
    s.send({ type: "Mutation", requestId: 0, udfPath: "messages:send", args: [{ body: "hi", channel: "frames" }] });
    const mr = await s.next("MutationResponse");
    expect(mr).toMatchObject({ type: "MutationResponse", requestId: 0, success: true, logLines: [] });
    const t = await s.next("Transition");
    expect(decodeU64(t.endVersion.ts)).toBeGreaterThanOrEqual(decodeU64(mr.ts));
    expect(t.modifications[0].value).toEqual([{ _id: mr.result, author: null, body: "hi", channel: "frames" }]);
    s.send({ type: "Mutation", requestId: 1, udfPath: "messages:send", args: [{}] });
    expect(await s.next("MutationResponse")).toMatchObject({ requestId: 1, success: false, result: "messages:send expects { body: string }", ts: null });
    s.send({ type: "Action", requestId: 2, udfPath: "users:whoamiAction", args: [{}] });
    expect(await s.next("ActionResponse")).toEqual({ type: "ActionResponse", requestId: 2, success: true, result: null, logLines: [] });
    s.send({ type: "ModifyQuerySet", baseVersion: 1, newVersion: 2, modifications: [{ type: "Remove", queryId: 7 }] });
    expect((await s.next("Transition")).modifications).toEqual([{ type: "QueryRemoved", queryId: 7 }]);
    s.ws.close();
  });

  it("sends a Ping after idle", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    expect(await s.next("Ping")).toEqual({ type: "Ping" });
    s.ws.close();
  });

  it("expires an accepted identity while subscribed: AuthError authUpdateAttempted:false, then 1005", async () => {
    const t = Math.floor(Date.now() / 1000);
    const token = await h.issuers.oidc.sign({ iss: h.issuers.oidc.issuer, sub: "short", aud: "convex", iat: t, exp: t + 2 });
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: token });
    s.send(whoamiAdd);
    await s.next("Transition");
    await s.next("Transition");
    const err = await s.next("AuthError");
    expect(err).toEqual({ type: "AuthError", error: "Convex token identity expired", baseVersion: 1, authUpdateAttempted: false });
    expect(Date.now() / 1000).toBeGreaterThanOrEqual(t + 2);
    expect((await s.closed).code).toBe(1005);
  });

  it("records every frame and the server's close", async () => {
    const before = h.connections.length;
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.send({ type: "Authenticate", baseVersion: 0, tokenType: "User", value: "x" });
    await s.closed;
    const rec = await waitFor("connection record", () => h.connections[before]?.close && h.connections[before]);
    expect(rec.frames.map((f) => `${f.dir}:${(f.data as { type: string }).type}`)).toEqual(["in:Connect", "in:Authenticate", "out:AuthError"]);
    expect(rec.close).toEqual({ by: "server", code: undefined, reason: undefined });
  });

  it("answers garbage with FatalError and a status-less close; never crashes", async () => {
    const s = await openRaw(h.url);
    s.send(connectMsg());
    s.ws.send("{not json");
    expect((await s.next("FatalError")).error).toMatch(/^Could not parse client message/);
    expect((await s.closed).code).toBe(1005);
    const s2 = await openRaw(h.url);
    s2.send({ type: "Authenticate", baseVersion: 0, tokenType: "PlaintextUser", value: "x" });
    expect((await s2.next("FatalError")).error).toMatch(/Invalid Authenticate message/);
  });

  it("refuses upgrades on other paths", async () => {
    await expect(openRaw(h.url, "/api/1.48.0/other")).rejects.toThrow(/404/);
  });
});
