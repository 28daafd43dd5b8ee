// The demo pages in real Chromium: the bundled `convex` browser client against the harness.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright";
import { startHarness, type Harness } from "./deployment.ts";
import type { Scenario } from "./scenarios.ts";
import { waitFor } from "./test-helpers.ts";
import { MSG } from "./validate.ts";

import { CHROMIUM, CHROMIUM_FLAGS as FLAGS } from "../e2e/support/chromium.ts";

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness({ expiryCheckMs: 200 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

type DemoState = { status: string; authChanges: boolean[]; whoami: unknown[]; tokenFetches: boolean[]; errors: string[]; http?: { value?: unknown; error?: string } };

/** Open a scenario page and wait until #status shows `status`; returns the page's state object. */
async function runPage(scenario: Scenario, status: string, timeout = 15_000, thenWait?: (page: Page) => Promise<unknown>): Promise<DemoState> {
  const page = await browser.newPage();
  try {
    await page.goto(h.demoUrl(scenario));
    await page.waitForFunction((s) => document.getElementById("status")?.textContent === s, status, { timeout });
    await thenWait?.(page);
    return (await page.evaluate(() => JSON.parse(document.getElementById("detail")!.textContent!))) as DemoState;
  } finally {
    await page.close();
  }
}

const connectReasons = () =>
  h.connections.flatMap((c) => c.frames.filter((f) => f.dir === "in" && (f.data as { type: string }).type === "Connect"))
    .map((f) => (f.data as { lastCloseReason: unknown }).lastCloseReason);

describe("demo pages (real convex client in Chromium)", () => {
  it("serves an index and rejects unknown scenarios", async () => {
    expect((await fetch(`${h.url}/demo/`)).status).toBe(200);
    const bad = await fetch(`${h.url}/demo/?scenario=nope`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/unknown scenario "nope"/);
  });

  it("good: authenticated over the socket and over HTTP", async () => {
    // The page's HTTP whoami runs alongside the socket: wait for it too.
    const s = await runPage("good", "authenticated", 15_000, (page) =>
      page.waitForFunction(() => JSON.parse(document.getElementById("detail")!.textContent!).http !== undefined));
    expect(s.whoami.at(-1)).toMatchObject({ tokenIdentifier: `${h.url}/oidc|user_2harnessGood` });
    expect(s.http?.value).toMatchObject({ tokenIdentifier: `${h.url}/oidc|user_2harnessGood` });
  });

  it("good-workos: customJwt identity with raw claim names", async () => {
    const s = await runPage("good-workos", "authenticated");
    expect(s.whoami.at(-1)).toMatchObject({ tokenIdentifier: `${h.url}/workos/|user_01HARNESSWORKOS`, org_id: "org_01HARNESS" });
  });

  it("clerk-no-template / workos-no-aud / wrong-issuer: NoAuthProvider, client gives up after 4 tries", async () => {
    for (const scenario of ["clerk-no-template", "workos-no-aud", "wrong-issuer"] as const) {
      // After giving up, the browser's reconnect (≈1 s backoff) reports the server's status-less close as 1005.
      const s = await runPage(scenario, "auth-failed", 15_000, () => waitFor("reconnect after 1005", () => connectReasons().includes("closed with code 1005")));
      expect(s.tokenFetches).toEqual([false, true, true, true]);
      expect(s.errors[0]).toMatch(new RegExp(`^Failed to authenticate: "${MSG.noProviderList.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\[OIDC\\(domain=`));
    }
  }, 60_000);

  it("expired-same-token: one rejection, the same token on refresh, signed out", async () => {
    const s = await runPage("expired-same-token", "signed-out");
    expect(s.tokenFetches).toEqual([false, true]);
    expect(s.authChanges).toEqual([false]);
  });

  it("identity-expired: accepted, then dropped after 'Convex token identity expired'", async () => {
    const s = await runPage("identity-expired", "signed-out", 20_000);
    expect(s.authChanges).toEqual([true, false]);
    const expired = h.connections.some((c) => c.frames.some((f) => (f.data as { error?: string }).error === MSG.expired));
    expect(expired).toBe(true);
  }, 30_000);

  it("queries-before-auth: null first, then the identity", async () => {
    const s = await runPage("queries-before-auth", "authenticated");
    expect(s.whoami[0]).toBeNull();
  });

  it("admin-key: socket (Authenticate Admin) and HTTP (Authorization: Convex …) both work", async () => {
    const s = await runPage("admin-key", "admin-ok");
    expect(s.whoami.at(-1)).toBeNull(); // a plain admin has no user identity
    expect(s.http).toBeInstanceOf(Array);
    const adminAuth = h.connections.flatMap((c) => c.frames).find((f) => (f.data as { tokenType?: string }).tokenType === "Admin");
    expect(adminAuth?.data).toMatchObject({ type: "Authenticate", baseVersion: 0, value: h.adminKey });
    expect(h.httpRequests.some((r) => r.authorization === `Convex ${h.adminKey}` && r.status === 200)).toBe(true);
  });

  /** Client → server frames of the sockets a page opened (connections after index `from`), per socket. */
  const sentFrom = (from: number) =>
    h.connections.slice(from).map((c) => c.frames.filter((f) => f.dir === "in").map((f) => f.data as { type: string; tokenType?: string; value?: string; clientTs?: number }));

  it("fetch-token-hangs: the socket opens and the real client sends nothing, not even Connect", async () => {
    const from = h.connections.length;
    const s = await runPage("fetch-token-hangs", "fetching-token", 15_000, () => new Promise((r) => setTimeout(r, 1500)));
    expect(s.tokenFetches).toEqual([false]);
    expect(h.connections.length).toBe(from + 1);
    expect(sentFrom(from)).toEqual([[]]);
  });

  it("stale-token-on-reconnect: the stored token is re-sent after exp on the new socket, rejected, then a fresh one", async () => {
    const from = h.connections.length;
    const s = await runPage("stale-token-on-reconnect", "reauthenticated", 25_000);
    // Cached token (force=false), the post-confirmation refetch gets the same cached token, the refetch after
    // the rejection gets a new one.
    expect(s.tokenFetches).toEqual([false, true, true]);
    const sockets = h.connections.slice(from);
    const auths = sentFrom(from).map((frames) => frames.filter((f) => f.type === "Authenticate").map((f) => f.value));
    const [first, stale, fresh] = [auths[0]![0], auths.find((a, i) => i > 0 && a.length > 0)![0], auths.at(-1)![0]];
    expect(stale).toBe(first);
    expect(fresh).not.toBe(first);
    expect(sockets[0]!.close).toMatchObject({ by: "server", code: 1006 });
    // The harness (jose, its own clock) rejected the re-sent token as expired.
    expect(sockets.some((c) => c.frames.some((f) => (f.data as { error?: string }).error === MSG.oidcVerify))).toBe(true);
  }, 40_000);

  it("sign-out-after-sign-in: one User token (no refetch with initialAuthTokenReuse), then None", async () => {
    const from = h.connections.length;
    const s = await runPage("sign-out-after-sign-in", "signed-out", 20_000);
    expect(s.tokenFetches).toEqual([false]);
    const auths = sentFrom(from).flat().filter((f) => f.type === "Authenticate").map((f) => f.tokenType);
    expect(auths).toEqual(["User", "None"]);
  }, 30_000);

  it("late-client: clientTs runs about 6 s ahead of the clock, so the wire's clientClockSkew is over 5 s", async () => {
    const from = h.connections.length;
    await runPage("late-client", "authenticated", 25_000);
    const skews = h.connections.slice(from).flatMap((c) => c.frames.map((f) => (f.data as { clientClockSkew?: number }).clientClockSkew)).filter((x) => typeof x === "number");
    expect(skews.length).toBeGreaterThan(0);
    expect(skews[0]).toBeGreaterThan(5000);
  }, 40_000);

  it("http-401: ConvexHttpClient's error is the raw 401 body", async () => {
    const s = await runPage("http-401", "http-error");
    expect(JSON.parse(s.http!.error!)).toMatchObject({ code: "NoAuthProvider" });
  });
});
