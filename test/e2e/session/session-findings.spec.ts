/**
 * The session findings of issue 6, end to end: the REAL convex client in a harness demo page driven into each
 * situation, the built extension, and the REAL DevTools panel. Findings are read through the panel's stable
 * hooks (`data-finding-id`, or the older `data-id`, and `data-severity`).
 *
 * - fetch-token-hangs: setAuth's fetchToken never resolves → `token-fetch-stalled` (warning), not `no-token-sent`.
 * - stale-token-on-reconnect: the network drops past the cached token's exp; the client re-sends it →
 *   `stale-token-on-reconnect` (error), and no `same-token-on-refresh`.
 * - sign-out-after-sign-in: a sign-out 3 s after sign-in (initialAuthTokenReuse) → `auth-cleared` (info), no error.
 * - late-client: the client is created 6 s after load → the wire's clientClockSkew is over 5 s, no `clock-skew`.
 */
import { expect, test, type PanelHandle } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import type { Scenario } from "../../harness/scenarios.ts";
import { sessionExpectation, type SessionExpectation } from "./expectations.ts";

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness({ hostNames: true });
});
test.afterAll(async () => {
  await harness?.close();
});

interface ShownFinding {
  id: string;
  severity: string;
  message: string;
}

const FINDINGS = `Array.from(document.querySelectorAll('[data-testid="finding"], [data-finding-id]')).map((e) => ({
  id: e.getAttribute('data-finding-id') || e.getAttribute('data-id'),
  severity: e.getAttribute('data-severity'),
  message: ((e.querySelector('.message') || e).textContent || '').slice(0, 600),
}))`;

async function findings(panel: PanelHandle): Promise<ShownFinding[]> {
  const all = await panel.evaluate<ShownFinding[]>(FINDINGS);
  // One finding may match both selectors: keep one per id and message.
  return all.filter((f, i) => all.findIndex((g) => g.id === f.id && g.message === f.message) === i);
}

/** Poll the panel until `ok` holds; on timeout, fail with the findings shown, so the reason is visible. */
async function waitForFindings(panel: PanelHandle, ok: (fs: ShownFinding[]) => boolean, what: string, timeoutMs: number): Promise<ShownFinding[]> {
  const end = Date.now() + timeoutMs;
  let last: ShownFinding[] = [];
  while (Date.now() < end) {
    last = await findings(panel).catch(() => last);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; the panel shows: ${JSON.stringify(last.map((f) => `${f.severity} ${f.id}`))}`);
}

const has = (id: string, severity?: string) => (fs: ShownFinding[]) => fs.some((f) => f.id === id && (severity === undefined || f.severity === severity));

/** The shared expectation (expectations.ts): every listed ID with its severity, none of the absent ones. */
function expectShown(fs: ShownFinding[], e: SessionExpectation): void {
  for (const want of e.findings) expect(fs.filter((f) => f.id === want.id).map((f) => f.severity)).toContain(want.severity);
  for (const id of e.absent) expect(fs.map((x) => x.id)).not.toContain(id);
  if (e.noErrors) expect(fs.filter((x) => x.severity === "error")).toEqual([]);
}

type Page = import("@playwright/test").Page;

/** Open the scenario's page and the real panel, and wait for the page's own `#status` to reach `status`. */
async function open(page: Page, openPanel: (p: Page) => Promise<PanelHandle>, scenario: Scenario, status: string, timeout: number): Promise<PanelHandle> {
  test.setTimeout(60_000);
  await page.goto(harness.demoUrl(scenario));
  const panel = await openPanel(page);
  await page.waitForFunction((s) => document.getElementById("status")?.textContent === s, status, { timeout });
  return panel;
}

test("fetch-token-hangs: token-fetch-stalled (warning), not no-token-sent", async ({ page, openPanel }) => {
  const panel = await open(page, openPanel, "fetch-token-hangs", "fetching-token", 10_000);
  // Over 10 s of silence; the panel learns the time from its clock, or at the latest from the server's 15 s Ping.
  const fs = await waitForFindings(panel, has("token-fetch-stalled", "warning"), "token-fetch-stalled", 35_000);
  const f = fs.find((x) => x.id === "token-fetch-stalled")!;
  expect(f.message).toMatch(/opened and the client sent nothing on it \(not even Connect\)/);
  expectShown(fs, sessionExpectation("fetch-token-hangs"));
});

test("stale-token-on-reconnect: the expired token re-sent after the outage is an error of its own", async ({ page, openPanel }) => {
  const panel = await open(page, openPanel, "stale-token-on-reconnect", "reauthenticated", 30_000);
  const fs = await waitForFindings(panel, has("stale-token-on-reconnect", "error"), "stale-token-on-reconnect", 15_000);
  const f = fs.find((x) => x.id === "stale-token-on-reconnect")!;
  expect(f.message).toMatch(/After the client reconnected \(Connect #1 after "closed with code 1006"\) it re-sent the token it had used before .* the backend rejected it with "Could not verify OIDC token claim/);
  expectShown(fs, sessionExpectation("stale-token-on-reconnect"));
});

test("sign-out-after-sign-in: auth-cleared (info) naming both causes, and no error finding", async ({ page, openPanel }) => {
  const panel = await open(page, openPanel, "sign-out-after-sign-in", "signed-out", 20_000);
  const fs = await waitForFindings(panel, has("auth-cleared"), "auth-cleared", 15_000);
  const cleared = fs.find((x) => x.id === "auth-cleared")!;
  expect(cleared.severity).toBe("info");
  expect(cleared.message).toMatch(/a sign-out does that, and so does the Convex client itself/);
  expectShown(fs, sessionExpectation("sign-out-after-sign-in"));
});

test("late-client: a client created 6 s after load is not clock-skewed", async ({ page, openPanel }) => {
  const from = harness.connections.length;
  const panel = await open(page, openPanel, "late-client", "authenticated", 25_000);
  await waitForFindings(panel, has("token-accepted"), "token-accepted", 15_000);
  // The harness, like the backend, computed clientClockSkew from clientTs: over 5 s, from the page's age alone.
  const wire = harness.connections
    .slice(from)
    .flatMap((c) => c.frames.map((f) => (f.data as { clientClockSkew?: unknown }).clientClockSkew))
    .find((x): x is number => typeof x === "number");
  expect(wire).toBeGreaterThan(5000);
  // Give the panel a moment with everything delivered, then check that no clock-skew is shown.
  await new Promise((r) => setTimeout(r, 1000));
  expect((await findings(panel)).map((x) => x.id)).not.toContain("clock-skew");
});
