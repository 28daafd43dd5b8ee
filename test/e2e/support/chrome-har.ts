/**
 * Real HAR files, written by Chrome's own HAR exporter (testing-recipes §7): for each harness scenario that
 * produces a session finding, headless Chromium WITHOUT our extension runs the demo page (the real `convex`
 * client), DevTools is opened on the tab before it navigates, and DevTools' own HAR writer exports its network
 * log twice: unsanitized, and with `sanitize: true` (what "Export HAR (sanitized)" writes, Chrome's default), as
 * `<scenario>.har` and `<scenario>.sanitized.har`. Made when the test runs (test/unit/cli/har-fixtures.test.ts),
 * never committed: the files hold signed tokens and an admin key. `scripts/capture-hars.ts` writes them to a folder.
 * The harness runs with its real-looking host names (a *.clerk.accounts.dev issuer, api.workos.com, a
 * *.convex.cloud deployment), as in the panel specs whose finding IDs the test compares: the provider hints read them.
 * Recipe §7 names `HAR.Log.Log.build`; it writes no response bodies, and the 401 body is the evidence of
 * http-401, so this calls the writer the Network panel's "Export HAR" uses, which adds them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type CDPSession } from "@playwright/test";
import { startHarness } from "../../harness/deployment.ts";
import type { Scenario } from "../../harness/scenarios.ts";
import { ChildSession } from "../extension/support/cdp-child.ts";
import { until } from "./devtools-panel.ts";
import { CHROMIUM, CHROMIUM_FLAGS } from "./chromium.ts";

/** One capture: the harness scenario, and when it is complete (the demo page's `#status`, then `settleMs` more for what follows it on the wire). */
export interface CapturePlan {
  scenario: Scenario;
  status: string;
  settleMs: number;
}

export const CAPTURED: CapturePlan[] = [
  { scenario: "good", status: "authenticated", settleMs: 1000 },
  // After the rejection the client gives up and reconnects without auth (client-gave-up needs that Connect).
  { scenario: "clerk-no-template", status: "auth-failed", settleMs: 3000 },
  { scenario: "workos-no-aud", status: "auth-failed", settleMs: 3000 },
  { scenario: "wrong-issuer", status: "auth-failed", settleMs: 3000 },
  { scenario: "expired-same-token", status: "signed-out", settleMs: 2000 },
  { scenario: "identity-expired", status: "signed-out", settleMs: 2000 },
  { scenario: "queries-before-auth", status: "authenticated", settleMs: 1000 },
  { scenario: "admin-key", status: "admin-ok", settleMs: 1000 },
  { scenario: "http-401", status: "http-error", settleMs: 500 },
  // Over 10 s of silence after Connect; the server's Ping after 15 s idle puts that time on the wire.
  { scenario: "fetch-token-hangs", status: "fetching-token", settleMs: 17_000 },
  { scenario: "stale-token-on-reconnect", status: "reauthenticated", settleMs: 1000 },
  { scenario: "sign-out-after-sign-in", status: "signed-out", settleMs: 1000 },
];

/** The capture of a page with no Convex traffic (the demo's index page): `no-convex.har`. */
export const NO_CONVEX = "no-convex";

/**
 * DevTools' network log as a HAR string, by the Network panel's own export code (HARWriter.harStringForRequests:
 * Log.build plus each response's content, 2-space JSON). The page's script (the 200 KB demo bundle with the
 * convex client) is left out, as a Network panel filter hiding JS would, to keep the files small.
 */
const exportHar = (sanitize: boolean) => `(async () => {
  const Logs = await import('./models/logs/logs.js');
  const HAR = await import('./models/har/har.js');
  const Common = await import('./core/common/common.js');
  const reqs = Logs.NetworkLog.NetworkLog.instance().requests().filter((r) => r.resourceType().name() !== 'script');
  const progress = new Common.Progress.CompositeProgress(new Common.Progress.Progress());
  return HAR.Writer.Writer.harStringForRequests(reqs, { sanitize: ${sanitize} }, progress);
})()`;

/** True once DevTools' front end has a page target with its network model, i.e. it records requests. */
const RECORDING = `(async () => {
  const SDK = await import('./core/sdk/sdk.js');
  const t = SDK.TargetManager.TargetManager.instance().primaryPageTarget();
  return Boolean(t && t.model(SDK.NetworkManager.NetworkManager));
})()`;

/** One page load to capture: the file name, the URL, and when it is complete (#status, then settleMs more). */
interface Capture {
  name: string;
  url: string;
  status: string | null;
  settleMs: number;
}

async function captureOne(browser: Browser, browserSession: CDPSession, plan: Capture, out: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageSession = await context.newCDPSession(page);
  const { targetInfo } = (await pageSession.send("Target.getTargetInfo")) as { targetInfo: { targetId: string } };
  await pageSession.detach();
  // Before navigating: DevTools' network log only holds what happened while it was open.
  const { targetId } = (await browserSession.send("Target.openDevTools" as never, { targetId: targetInfo.targetId } as never)) as { targetId: string };
  const devtools = await ChildSession.attach(browserSession, targetId);
  try {
    await until(() => devtools.evaluate<boolean>(RECORDING).catch(() => false), "DevTools to record the network", 20_000);
    await page.goto(plan.url);
    if (plan.status !== null) await until(async () => (await page.locator("#status").textContent()) === plan.status, `${plan.name}: #status ${plan.status}`, 30_000);
    // Let what follows the status reach the wire (a reconnect without auth, a Ping after silence).
    // No navigation away: DevTools' log (without "Preserve log") would start over.
    await new Promise((r) => setTimeout(r, plan.settleMs));
    for (const sanitize of [false, true]) {
      const text = await devtools.evaluate<string>(exportHar(sanitize));
      writeFileSync(join(out, `${plan.name}${sanitize ? ".sanitized" : ""}.har`), text); // byte for byte what DevTools wrote
    }
  } finally {
    await devtools.detach();
    await context.close();
  }
}

/** Tokens outlive any test run by years, so only the scenarios that are about expiry see one expire. */
const TOKEN_LIFETIME_S = 10 * 365 * 24 * 3600;

/** Captures every plan (or the named ones) into `out`; returns the file names written. */
export async function captureHars(out: string, only?: string[]): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const harness = await startHarness({ hostNames: true, tokenLifetimeS: TOKEN_LIFETIME_S });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    const browserSession = await browser.newBrowserCDPSession();
    const index = new URL(harness.demoUrl("good"));
    index.search = "";
    const plans: Capture[] = [
      ...CAPTURED.map((c) => ({ name: c.scenario, url: harness.demoUrl(c.scenario), status: c.status, settleMs: c.settleMs })),
      // The demo's index page: a page load with no Convex traffic at all.
      { name: NO_CONVEX, url: index.href, status: null, settleMs: 500 },
    ];
    for (const s of only ?? []) if (!plans.some((p) => p.name === s)) throw new Error(`no capture named "${s}"`);
    const chosen = plans.filter((p) => !only || only.includes(p.name));
    for (const plan of chosen) await captureOne(browser, browserSession, plan, out);
    return chosen.flatMap((p) => [`${p.name}.har`, `${p.name}.sanitized.har`]);
  } finally {
    await browser.close();
    await harness.close();
  }
}
