/**
 * `npm run demo`: builds the extension, starts the local demo deployment (test/harness), and opens Chromium
 * with the extension on the demo app and DevTools open on the "Convex Auth" panel.
 * Without a display (or with --headless) it visits every scenario and opens the real panel for each: first
 * WITHOUT pasting any config (the headline must be what the harness backend did with the token: exit 1
 * otherwise), then with the deployment's config pasted (the same headline, the prediction beside it, no
 * prediction-mismatch). It writes a screenshot of the DevTools window plus the panel's headline and findings
 * as text (full messages, no UI text) to demo-output/.
 *   npm run demo [-- --headless] [-- --scenario clerk-no-template] [-- --port 8787]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { startHarness, type Harness } from "../test/harness/deployment.ts";
import type { Scenario } from "../test/harness/scenarios.ts";
import { ChildSession } from "../test/e2e/extension/support/cdp-child.ts";
import { openDevToolsPanel, until } from "../test/e2e/support/devtools-panel.ts";
import { CHROMIUM, CHROMIUM_FLAGS } from "../test/e2e/support/chromium.ts";
import { forgetConfig, pasteConfig, pasteConfigWithEnv, snapshot, viewOf, type Snapshot } from "../test/e2e/panel/panel-view.ts";
import { configJson } from "../test/scenarios/expectations.ts";
import { latestServerAnswer } from "../test/harness/server-answers.ts";
import { isSetupScenario, setupConfig } from "../test/harness/setups.ts";

const EXT = resolve(import.meta.dirname, "..", "dist", "chrome");
const OUT = resolve(import.meta.dirname, "..", "demo-output");
/** The tour, each with the page's final `#status` (identity-expired is "authenticated" for its first 4 s). */
const FINAL: Partial<Record<Scenario, string>> = {
  good: "authenticated",
  "good-workos": "authenticated",
  "good-auth0": "authenticated",
  "good-convex-auth": "authenticated",
  "good-better-auth": "authenticated",
  "good-static-jwks": "authenticated",
  "clerk-no-template": "auth-failed",
  "workos-no-aud": "auth-failed",
  "wrong-issuer": "auth-failed",
  "expired-same-token": "signed-out",
  "identity-expired": "signed-out",
  "queries-before-auth": "authenticated",
  "admin-key": "admin-ok",
  "http-401": "http-error",
  "sign-out-after-sign-in": "signed-out",
  "stale-token-on-reconnect": "reauthenticated",
  "late-client": "authenticated",
};
const TOUR = Object.keys(FINAL) as Scenario[];

const { values } = parseArgs({
  options: { headless: { type: "boolean", default: false }, scenario: { type: "string" }, port: { type: "string" }, "skip-build": { type: "boolean", default: false } },
});
const headless = values.headless || !process.env.DISPLAY;

function fail(msg: string): never {
  process.stderr.write(`demo: ${msg}\n`);
  process.exit(2);
}

if (!values["skip-build"]) {
  const b = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  if (b.status !== 0) fail("the build failed");
}
if (values.scenario && !(TOUR as string[]).includes(values.scenario)) fail(`unknown scenario "${values.scenario}" (one of: ${TOUR.join(", ")})`);

// Real-looking names (a *.clerk.accounts.dev issuer, api.workos.com, a *.convex.cloud deployment), so the panel
// shows the provider hints; CHROMIUM_FLAGS map exactly those names to 127.0.0.1 and trust the harness's cert.
const harness: Harness = await startHarness({ port: values.port ? Number(values.port) : 0, hostNames: true });
const profile = mkdtempSync(join(tmpdir(), "cai-demo-"));
const context: BrowserContext = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless,
  viewport: headless ? { width: 1280, height: 800 } : null,
  args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`],
});
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
const extensionId = new URL(worker.url()).host;
const browserSession = await context.browser()!.newBrowserCDPSession();

async function shutdown(code: number): Promise<never> {
  await context.close().catch(() => {});
  await harness.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}

async function openScenario(scenario: Scenario): Promise<Page> {
  const page = context.pages().find((p) => p.url() === "about:blank") ?? (await context.newPage());
  await page.goto(harness.demoUrl(scenario));
  await until(async () => (await page.locator("#status").textContent()) === FINAL[scenario], `the ${scenario} page to settle`, 20_000);
  return page;
}

function describe(s: Snapshot): string {
  const lines: string[] = [];
  for (const c of s.connections) lines.push(`connection: ${c.state}, auth ${c.auth}${c.identity ? ` as ${c.identity}` : ""}`);
  lines.push(
    s.verdict === null
      ? "headline: no user token"
      : `headline: ${s.verdict} (${s.verdictSource}); prediction: ${s.predicted}${s.expectedCode ? ` — ${s.expectedCode}: ${s.expectedMessage ?? ""}` : ""}`,
  );
  for (const f of s.findings) lines.push(`  ${f.severity.padEnd(7)} ${f.id}: ${f.message}`);
  return lines.join("\n");
}

/** Why the panel's headline is not what the harness backend did with the latest token (null when it is). */
function untrue(s: Snapshot, pasted: boolean, since: number): string | null {
  const answer = latestServerAnswer(harness, since);
  const did = answer?.did ?? null;
  if (did === null || did === "no answer") {
    if (s.verdictSource === "observed") return `the headline says observed ${s.verdict}, but the server ${did === null ? "received no user token" : "did not answer the token"}`;
    return null;
  }
  if (s.verdict !== did || s.verdictSource !== "observed") return `the server ${did} the token, the headline says ${s.verdict} (${s.verdictSource})`;
  if (pasted && s.findings.some((f) => f.id === "prediction-mismatch")) return "prediction-mismatch with the deployment's own config";
  return null;
}

/** Paste the config the scenario's deployment really has: a setup's vendor file and env, else the demo list. */
async function pasteDeploymentConfig(view: ReturnType<typeof viewOf>, scenario: Scenario): Promise<void> {
  if (isSetupScenario(scenario)) {
    const { text, env } = setupConfig(scenario, harness.issuers);
    await pasteConfigWithEnv(view, text, env);
  } else {
    await pasteConfig(view, configJson(harness));
  }
}

/** Settled: connections shown, the verdict computed (predictions fetch keys asynchronously), nothing changing. */
async function settle(view: ReturnType<typeof viewOf>, scenario: Scenario): Promise<Snapshot> {
  let last: Snapshot | null = null;
  await until(async () => {
    const s = await snapshot(view);
    const settled = s.connections.length + s.findings.length > 0 && s.predictionState !== "running" && JSON.stringify(s) === JSON.stringify(last);
    last = s;
    return settled;
  }, `the panel for ${scenario}`, 20_000).catch(() => {});
  return snapshot(view);
}

if (headless) {
  mkdirSync(OUT, { recursive: true });
  const report: string[] = [];
  const problems: string[] = [];
  for (const scenario of values.scenario ? [values.scenario as Scenario] : TOUR) {
    const since = Date.now();
    const page = await openScenario(scenario);
    const panel = await openDevToolsPanel({ context, browserSession, page, extensionId });
    const view = viewOf(panel);
    // First as a new user sees it: nothing pasted (an earlier scenario's config for the same deployment is
    // forgotten). The headline must already be what the server did.
    await until(async () => (await snapshot(view)).connections.length > 0 || scenario === "http-401", `the ${scenario} connection`, 10_000).catch(() => {});
    if (await forgetConfig(view)) await until(async () => (await snapshot(view)).providersSource !== "config", "the config to be forgotten", 10_000);
    const bare = await settle(view, scenario);
    if (bare.providersSource === "config") problems.push(`${scenario}: a config was still pasted for the first pass`);
    const bareProblem = untrue(bare, false, since);
    // Then with the deployment's config pasted (the connection must be seen first for the editor to show).
    await pasteDeploymentConfig(view, scenario);
    await until(async () => (await snapshot(view)).providersSource === "config", `the pasted config for ${scenario}`, 10_000).catch(() => {});
    const withConfig = await settle(view, scenario);
    const configProblem = untrue(withConfig, true, since);
    const dt = await ChildSession.attach(browserSession, panel.devtoolsTargetId);
    // Headless DevTools opens docked beside an empty page area: undock it so the panel gets the whole window.
    await dt
      .evaluate(`(async () => { const UI = await import('./ui/legacy/legacy.js'); UI.DockController.DockController.instance().setDockSide('undocked'); })()`)
      .catch(() => {});
    await dt.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
    await new Promise((r) => setTimeout(r, 300));
    const shot = await dt.send<{ data: string }>("Page.captureScreenshot", { format: "png" });
    writeFileSync(join(OUT, `${scenario}.png`), Buffer.from(shot.data, "base64"));
    await dt.detach();
    await panel.close();
    await page.close();
    const text = [
      `## ${scenario}  (${harness.demoUrl(scenario)})`,
      "### without a config (what a new user sees)",
      describe(bare),
      "### with the deployment's config pasted",
      describe(withConfig),
    ].join("\n");
    for (const [when, p] of [["without a config", bareProblem], ["with the config", configProblem]] as const) {
      if (p) problems.push(`${scenario} ${when}: ${p}`);
    }
    report.push(text);
    process.stdout.write(`\n${text}\n`);
  }
  writeFileSync(join(OUT, "findings.txt"), report.join("\n\n") + "\n");
  process.stdout.write(`\ndemo: screenshots of the DevTools panel and findings.txt written to ${OUT}\n`);
  if (problems.length > 0) {
    process.stderr.write(`demo: the panel's headline is not what the server did:\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
    await shutdown(1);
  }
  process.stdout.write(`demo: every headline is what the server did, with and without the config (${report.length} scenarios)\n`);
  await shutdown(0);
} else {
  const scenario = (values.scenario as Scenario | undefined) ?? "clerk-no-template";
  const page = await openScenario(scenario);
  await openDevToolsPanel({ context, browserSession, page, extensionId });
  process.stdout.write(`demo: Chromium shows ${harness.demoUrl(scenario)} with DevTools on the Convex Auth panel.\n`);
  process.stdout.write(`demo: other scenarios (open them in a tab, DevTools stays on the panel):\n`);
  for (const s of TOUR) process.stdout.write(`  ${harness.demoUrl(s)}\n`);
  process.stdout.write("demo: Ctrl+C to stop.\n");
  process.on("SIGINT", () => void shutdown(0));
  context.on("close", () => void shutdown(0));
}
