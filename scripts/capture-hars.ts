/**
 * Real HAR fixtures, written by Chrome's own HAR exporter (testing-recipes §7): for each harness scenario that
 * produces a session finding, headless Chromium WITHOUT our extension runs the demo page (the real `convex`
 * client), DevTools is opened on the tab before it navigates (testing-recipes §7), and DevTools' own HAR
 * writer exports its network log twice: unsanitized, and with `sanitize: true` (what "Export HAR (sanitized)"
 * writes, Chrome's default). Written to test/fixtures/har/<scenario>.har and <scenario>.sanitized.har, analysed in
 * test/unit/cli/har-fixtures.test.ts.
 *   npx tsx scripts/capture-hars.ts [--only NAME]... [--out DIR]   (NAME: a scenario, or no-convex)
 * Tokens live for years (the harness's tokenLifetimeS knob), except where expiry is the point. The harness runs
 * with its real-looking host names (a *.clerk.accounts.dev issuer, api.workos.com, a *.convex.cloud deployment),
 * as in the panel specs whose finding IDs the test compares: the provider hints read them.
 * Recipe §7 names `HAR.Log.Log.build`; it writes no response bodies, and the 401 body is the evidence of
 * http-401, so this calls the writer the Network panel's "Export HAR" uses, which adds them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type CDPSession } from "@playwright/test";
import { startHarness } from "../test/harness/deployment.ts";
import { ChildSession } from "../test/e2e/extension/support/cdp-child.ts";
import { until } from "../test/e2e/support/devtools-panel.ts";
import { CHROMIUM, CHROMIUM_FLAGS } from "../test/e2e/support/chromium.ts";
import { CAPTURED, NO_CONVEX } from "../test/fixtures/har/captures.ts";

const FIXTURES = resolve(import.meta.dirname, "..", "test", "fixtures", "har");
/** Ten years: the committed files' tokens must not be the reason a test changes its answer later. */
const TOKEN_LIFETIME_S = 10 * 365 * 24 * 3600;

const { values } = parseArgs({ options: { only: { type: "string", multiple: true }, out: { type: "string" } } });
/** --out DIR: write elsewhere (to check the script reproduces the committed answers without replacing them). */
const OUT = values.out ? resolve(values.out) : FIXTURES;

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

async function captureOne(browser: Browser, browserSession: CDPSession, plan: Capture): Promise<void> {
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
      const file = join(OUT, `${plan.name}${sanitize ? ".sanitized" : ""}.har`);
      writeFileSync(file, text); // byte for byte what DevTools wrote
      process.stdout.write(`capture-hars: ${file} (${(text.length / 1024).toFixed(0)} KB)\n`);
    }
  } finally {
    await devtools.detach();
    await context.close();
  }
}

mkdirSync(OUT, { recursive: true });
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
  for (const s of values.only ?? []) if (!plans.some((p) => p.name === s)) throw new Error(`no capture named "${s}"`);
  for (const plan of plans) if (!values.only || values.only.includes(plan.name)) await captureOne(browser, browserSession, plan);
} finally {
  await browser.close();
  await harness.close();
}
