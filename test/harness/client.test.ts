// The REAL convex client (ConvexClient over the Node `ws` build, ConvexHttpClient over fetch) against the
// harness, asserting what reference convex-protocol.md §4 / convex-backend-auth.md §5 say happens.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { anyApi } from "convex/server";
import { startHarness, type Harness } from "./deployment.ts";
import type { Scenario } from "./scenarios.ts";
import { waitFor } from "./test-helpers.ts";
import { MSG } from "./validate.ts";

let h: Harness;
const clients: ConvexClient[] = [];
beforeAll(async () => {
  h = await startHarness({ demo: false, expiryCheckMs: 100 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await h.close();
});

type Frame = { dir: "in" | "out"; data: Record<string, any> };

/** A client plus everything observable about it: fetchToken calls, onChange calls, logger errors. */
function track(scenario: Scenario | ((force: boolean) => Promise<string | null>)) {
  const fetches: boolean[] = [];
  const changes: boolean[] = [];
  const errors: string[] = [];
  const firstConn = h.connections.length;
  const client = new ConvexClient(h.url, {
    logger: { logVerbose: () => {}, log: () => {}, warn: () => {}, error: (...a: unknown[]) => errors.push(a.map(String).join(" ")) },
  });
  clients.push(client);
  const session = Math.random().toString(36);
  const fetchToken = async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
    fetches.push(forceRefreshToken);
    return typeof scenario === "function" ? scenario(forceRefreshToken) : h.tokenFor(scenario, session);
  };
  /** All frames of this client's sockets, in order, tagged with the connection index. */
  const frames = () =>
    h.connections.slice(firstConn).flatMap((c, i) => c.frames.map((f) => ({ conn: i, ...(f as Frame) })));
  const sent = (type: string) => frames().filter((f) => f.dir === "in" && f.data.type === type);
  return { client, fetchToken, fetches, changes, errors, frames, sent, conns: () => h.connections.slice(firstConn) };
}

describe("ConvexClient against the harness", () => {
  it("good token: whoami returns the identity, tokenIdentifier = iss|sub; cached then fresh token confirmed", async () => {
    const t = track("good");
    const values: unknown[] = [];
    t.client.onUpdate(anyApi.users!.whoami!, {}, (v: unknown) => values.push(v));
    t.client.setAuth(t.fetchToken, (ok) => t.changes.push(ok));
    const identity = await waitFor("identity", () => values.find((v) => v !== null) as Record<string, unknown> | undefined);
    expect(identity.tokenIdentifier).toBe(`${h.url}/oidc|user_2harnessGood`);
    expect(identity).toMatchObject({ subject: "user_2harnessGood", issuer: `${h.url}/oidc`, name: "Ada Harness", email: "ada@example.test" });
    // Cached token (force=false) confirmed, then the immediate forced refetch is confirmed too: onChange [true, true].
    await waitFor("second confirmation", () => t.changes.length >= 2);
    expect(t.fetches).toEqual([false, true]);
    expect(t.changes).toEqual([true, true]);
    const auths = t.sent("Authenticate");
    expect(auths.map((f) => f.data.baseVersion)).toEqual([0, 1]);
    expect(t.client.getAuth()?.decoded.sub).toBe("user_2harnessGood");
  });

  it("NoAuthProvider: 4 Authenticate attempts (cached, fresh, 2 retries), then 'Failed to authenticate' and a reconnect without auth", async () => {
    const t = track("workos-no-aud");
    t.client.onUpdate(anyApi.messages!.list!, {}, () => {});
    t.client.setAuth(t.fetchToken, (ok) => t.changes.push(ok));
    await waitFor("give up", () => t.changes.includes(false), 10_000);
    const expected =
      `${MSG.noProviderList}[OIDC(domain=${h.url}/oidc, app_id=convex), ` +
      `CustomJWT(issuer=${h.issuers.workos.userManagementIssuer}, app_id=none), ` +
      `CustomJWT(issuer=${h.url}/workos/, app_id=${h.issuers.workos.clientId})]`;
    expect(t.errors).toContain(`Failed to authenticate: "${expected}", check your server auth config`);
    expect(t.fetches).toEqual([false, true, true, true]);
    expect(t.changes).toEqual([false]);
    const errs = t.frames().filter((f) => f.dir === "out" && f.data.type === "AuthError");
    expect(errs).toHaveLength(4);
    for (const e of errs) expect(e.data).toMatchObject({ error: expected, authUpdateAttempted: true, baseVersion: 0 });
    // Each rejection closes the socket; after giving up the next Connect carries no Authenticate.
    const conns = await waitFor("reconnect after giving up", () => (t.conns().length >= 5 && t.conns()[4]!.frames.length > 0 ? t.conns() : null), 10_000);
    for (const c of conns.slice(0, 4)) expect(c.close).toMatchObject({ by: "server", code: undefined });
    const connects = t.sent("Connect");
    expect(connects[1]!.data.lastCloseReason).toBeNull(); // stopped by reauth: no reason recorded
    expect(connects[4]!.data.lastCloseReason).toBe("closed with code 1005");
    expect(t.sent("Authenticate").filter((f) => f.conn === 4)).toHaveLength(0);
  });

  it("expired token and the refresh returns the identical token: the client drops auth after one rejection", async () => {
    const t = track("expired-same-token");
    t.client.onUpdate(anyApi.users!.whoami!, {}, () => {});
    t.client.setAuth(t.fetchToken, (ok) => t.changes.push(ok));
    await waitFor("drop auth", () => t.changes.includes(false));
    expect(t.fetches).toEqual([false, true]);
    const err = t.frames().find((f) => f.data.type === "AuthError")!;
    expect(err.data).toEqual({ type: "AuthError", error: MSG.oidcVerify, baseVersion: 0, authUpdateAttempted: true });
    expect(t.sent("Authenticate")).toHaveLength(1);
    // No "Failed to authenticate" line: that path is only logged at verbose level.
    expect(t.errors).toEqual([]);
    await waitFor("reconnect without Authenticate", () => t.sent("Connect").length >= 2);
    expect(t.sent("Connect")[1]!.data.lastCloseReason).toBeNull();
  });

  it("identity expiry while subscribed: AuthError 'Convex token identity expired' (authUpdateAttempted false)", async () => {
    const t = track("identity-expired");
    const values: unknown[] = [];
    t.client.onUpdate(anyApi.users!.whoami!, {}, (v: unknown) => values.push(v));
    t.client.setAuth(t.fetchToken, (ok) => t.changes.push(ok));
    await waitFor("expiry", () => t.changes.includes(false), 10_000);
    const err = t.frames().find((f) => f.data.type === "AuthError")!;
    expect(err.data).toEqual({ type: "AuthError", error: MSG.expired, baseVersion: 1, authUpdateAttempted: false });
    // Accepted first (cached token; the forced refetch gave the same token, so no second Authenticate).
    expect(t.changes).toEqual([true, false]);
    expect(t.fetches).toEqual([false, true, true]);
    expect(values[0]).toMatchObject({ subject: "user_2harnessGood" });
  });

  it("queries before auth: answered with whoami null, then the identity after setAuth", async () => {
    const t = track("queries-before-auth");
    const values: unknown[] = [];
    t.client.onUpdate(anyApi.users!.whoami!, {}, (v: unknown) => values.push(v));
    await waitFor("first answer", () => values.length > 0);
    expect(values[0]).toBeNull();
    t.client.setAuth(t.fetchToken, (ok) => t.changes.push(ok));
    await waitFor("identity", () => values.some((v) => v !== null));
    const types = t.frames().map((f) => `${f.dir}:${f.data.type}`);
    expect(types.slice(0, 3)).toEqual(["in:Connect", "in:ModifyQuerySet", "out:Transition"]);
    expect(types.indexOf("in:Authenticate")).toBeGreaterThan(2);
  });

  it("mutations resolve (the Transition reaches their ts) and subscribed queries update", async () => {
    const t = track("good");
    t.client.setAuth(t.fetchToken, () => {});
    const values: unknown[][] = [];
    t.client.onUpdate(anyApi.messages!.list!, { channel: "client-test" }, (v: unknown) => values.push(v as unknown[]));
    const id = await t.client.mutation(anyApi.messages!.send!, { body: "hello", channel: "client-test" });
    await waitFor("list update", () => values.some((v) => v.length === 1));
    expect(values.at(-1)).toEqual([{ _id: id, author: `${h.url}/oidc|user_2harnessGood`, body: "hello", channel: "client-test" }]);
    expect(await t.client.action(anyApi.users!.whoamiAction!, {})).toMatchObject({ subject: "user_2harnessGood" });
  });

  it("admin key over the socket (setAdminAuth): Authenticate Admin accepted; impersonation shows the identity", async () => {
    const t = track("admin-key");
    const values: unknown[] = [];
    (t.client.client as unknown as { setAdminAuth(k: string, id?: object): void }).setAdminAuth(h.adminKey, { issuer: "https://imp.test", subject: "u9" });
    t.client.onUpdate(anyApi.users!.whoami!, {}, (v: unknown) => values.push(v));
    await waitFor("impersonated identity", () => values.find((v) => v !== null));
    expect(values.find((v) => v !== null)).toEqual({ issuer: "https://imp.test", subject: "u9", tokenIdentifier: "https://imp.test|u9" });
    expect(t.sent("Authenticate")[0]!.data).toMatchObject({ tokenType: "Admin", value: h.adminKey });
  });
});

describe("ConvexHttpClient against the harness", () => {
  it("Bearer token accepted: whoami over HTTP", async () => {
    const http = new ConvexHttpClient(h.url);
    http.setAuth((await h.tokenFor("good"))!);
    expect(await http.query(anyApi.users!.whoami!, {})).toMatchObject({ tokenIdentifier: `${h.url}/oidc|user_2harnessGood` });
    const rec = h.httpRequests.at(-1)!;
    expect(rec.authorization).toMatch(/^Bearer ey/);
    expect(rec.status).toBe(200);
  });

  it("rejected token: HTTP 401 and the error message is the raw {code,message} body", async () => {
    const http = new ConvexHttpClient(h.url);
    http.setAuth((await h.tokenFor("http-401"))!);
    const err = await http.query(anyApi.users!.whoami!, {}).then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const body = JSON.parse(err!.message);
    expect(Object.keys(body)).toEqual(["code", "message"]);
    expect(body.code).toBe("NoAuthProvider");
    expect(body.message).toMatch(/^No auth provider found matching the given token\. Check that your JWT's issuer and audience match/);
    expect(h.httpRequests.at(-1)!.status).toBe(401);
  });

  it("admin key: `Convex <key>` accepted, a wrong key is BadAdminKey 401, acting-as sends the identity", async () => {
    const http = new ConvexHttpClient(h.url);
    const admin = http as unknown as { setAdminAuth(k: string, id?: object): void };
    admin.setAdminAuth(h.adminKey);
    expect(await http.query(anyApi.users!.whoami!, {})).toBeNull();
    expect(h.httpRequests.at(-1)!.authorization).toBe(`Convex ${h.adminKey}`);
    admin.setAdminAuth(h.adminKey, { issuer: "https://imp.test", subject: "u2", email: "e@x.test" });
    expect(await http.query(anyApi.users!.whoami!, {})).toEqual({ issuer: "https://imp.test", subject: "u2", email: "e@x.test", tokenIdentifier: "https://imp.test|u2" });
    admin.setAdminAuth("dev:harness|wrong");
    const err = await http.query(anyApi.users!.whoami!, {}).then(() => null, (e: Error) => e);
    expect(JSON.parse(err!.message)).toEqual({ code: "BadAdminKey", message: MSG.badAdminKey });
  });
});
