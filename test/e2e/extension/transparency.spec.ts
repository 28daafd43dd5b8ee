/**
 * The page behaves identically with and without the extension: for each demo scenario (real `convex` client,
 * harness deployment), the frames and HTTP calls the harness receives are the same, in the same order.
 * Values that differ between any two runs (session ids, client clocks, freshly minted tokens' times) are
 * normalised; everything else — every field of every client frame, every HTTP path, scheme and status — must match.
 *
 * The two runs go side by side, each page against its own harness (a harness's record is one ordered list, so
 * two pages on one harness could not be told apart); what differs between two harnesses by construction (ports,
 * admin key, the issuers' client ids) is normalised too.
 */
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { decodeJwt } from "jose";
import { CHROMIUM, CHROMIUM_FLAGS, expect, test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import type { Scenario } from "../../harness/scenarios.ts";

const SCENARIOS: { scenario: Scenario; done: string }[] = [
  { scenario: "good", done: "authenticated" },
  { scenario: "good-workos", done: "authenticated" },
  { scenario: "clerk-no-template", done: "auth-failed" },
  { scenario: "workos-no-aud", done: "auth-failed" },
  { scenario: "wrong-issuer", done: "auth-failed" },
  { scenario: "expired-same-token", done: "signed-out" },
  { scenario: "queries-before-auth", done: "authenticated" },
  { scenario: "admin-key", done: "admin-ok" },
  { scenario: "http-401", done: "http-error" },
];

/** `plain`: the harness and browser of the run without the extension; `withExt`: the harness of the run with it. */
let plain: { harness: Harness; browser: Browser };
let withExtHarness: Harness;
test.beforeAll(async () => {
  const [h, browser, h2] = await Promise.all([
    startHarness({ hostNames: true }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS }),
    startHarness({ hostNames: true }),
  ]);
  plain = { harness: h, browser };
  withExtHarness = h2;
});
test.afterAll(async () => {
  await plain?.browser.close();
  await Promise.all([plain?.harness.close(), withExtHarness?.close()]);
});

/** A freshly minted JWT differs only in its times and per-mint ids (`jti`, Clerk-like `sid`); compare the rest. */
function tokenShape(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    const { iat, exp, nbf, jti, sid, ...rest } = decodeJwt(value);
    return { jwt: rest, minted: [iat, exp, nbf, jti, sid].map((v) => v !== undefined) };
  } catch {
    return value; // admin keys and non-JWTs are compared as they are
  }
}

/**
 * The real client pauses its socket while `setAuth` fetches the first token. When the WebSocket opens during that
 * pause, `onopen` already counts the connection and `resume()` then sends the first Connect with
 * `{connectionCount: 1, lastCloseReason: null}` instead of `{0, "InitialConnect"}` (convex/browser
 * web_socket_manager.js). Which comes first, the socket's open or the token, is a race, so on a page's first
 * socket both pairs mean "first Connect". Any other pair, or either pair on a later socket, is compared as sent.
 */
function isFirstConnectPair(f: Record<string, unknown>): boolean {
  return (f.connectionCount === 0 && f.lastCloseReason === "InitialConnect") || (f.connectionCount === 1 && f.lastCloseReason === null);
}

function normaliseFrame(data: unknown, firstSocket: boolean): unknown {
  if (typeof data !== "object" || data === null) return data;
  const f = { ...(data as Record<string, unknown>) };
  if (f.type === "Connect") {
    f.sessionId = typeof f.sessionId === "string" ? "<session>" : f.sessionId;
    f.clientTs = typeof f.clientTs === "number" ? "<clock>" : f.clientTs;
    if ("maxObservedTimestamp" in f) f.maxObservedTimestamp = "<ts>";
    if (firstSocket && isFirstConnectPair(f)) f.connectionCount = f.lastCloseReason = "<first connect>";
  }
  if (f.type === "Authenticate" && f.tokenType === "User") f.value = tokenShape(f.value);
  return f;
}

/** What each harness makes up for itself (ports, admin key, client ids), which another harness has different: as placeholders. */
function harnessNeutral<T>(h: Harness, value: T): T {
  const made: [string, string][] = [
    [h.adminKey, "<admin key>"],
    [h.issuers.workos.clientId, "<workos client id>"],
    [h.issuers.auth0.clientId, "<auth0 client id>"],
  ];
  let text = JSON.stringify(value);
  for (const [v, placeholder] of made) text = text.replaceAll(v, placeholder);
  for (const port of [h.port, h.tlsPort]) if (port !== null) text = text.replace(new RegExp(`:${port}(?=[/"])`, "g"), ":<port>");
  return JSON.parse(text) as T;
}

/** Everything the harness received from one page run, normalised. */
function received(h: Harness, fromConn: number, fromReq: number) {
  const sockets = h.connections.slice(fromConn).map((c, i) => ({
    path: c.path.replace(/\/api\/[^/]+\/sync$/, "/api/<v>/sync"),
    frames: c.frames.filter((f) => f.dir === "in").map((f) => normaliseFrame(f.data, i === 0)),
  }));
  const http = h.httpRequests.slice(fromReq).map((r) => ({
    path: r.path,
    scheme: r.authorization?.split(" ")[0] ?? null,
    token: r.authorization?.startsWith("Bearer ") ? tokenShape(r.authorization.slice(7)) : null,
    status: r.status,
  }));
  return harnessNeutral(h, { sockets, http });
}

/**
 * Runs the scenario page in `context` until its status is final and the harness has heard nothing for 2.5 s
 * (a client that gave up reconnects once more after a backoff of up to 1.5 s).
 */
async function runPage(harness: Harness, context: BrowserContext, scenario: Scenario, done: string) {
  const fromConn = harness.connections.length;
  const fromReq = harness.httpRequests.length;
  const page = await context.newPage();
  await page.goto(harness.demoUrl(scenario));
  await expect(page.locator("#status")).toHaveText(done, { timeout: 20_000 });
  const count = () => harness.connections.reduce((n, c) => n + c.frames.length, 0) + harness.httpRequests.length;
  let last = -1;
  await expect
    .poll(
      () => {
        const now = count();
        const stable = now === last;
        last = now;
        return stable;
      },
      { intervals: [2500], timeout: 30_000 },
    )
    .toBe(true);
  await page.close();
  return received(harness, fromConn, fromReq);
}

for (const { scenario, done } of SCENARIOS) {
  test(`${scenario}: the harness receives the same frames, in the same order, with and without the extension`, async ({ context }) => {
    test.setTimeout(90_000);
    const plainContext = await plain.browser.newContext();
    try {
      const [without, withExt] = await Promise.all([
        runPage(plain.harness, plainContext, scenario, done),
        runPage(withExtHarness, context, scenario, done),
      ]);
      expect(without.sockets.length + without.http.length).toBeGreaterThan(0);
      expect(withExt).toEqual(without);
    } finally {
      await plainContext.close();
    }
  });
}
