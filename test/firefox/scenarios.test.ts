/**
 * Firefox ESR runs the harness demo scenarios against the built add-on — the real `convex` client in a page,
 * issuers under real-looking names (harness-names.ts) — and the panel must show what Chromium's shows: the SAME
 * list and checks (test/scenarios/expectations.ts: headline `data-verdict` and `data-verdict-source`, the
 * finding IDs present and absent, the predicted text equal to the backend's). Every scenario runs with the panel
 * in a tab; clerk-no-template, good and admin-key also with the panel inside the REAL DevTools toolbox
 * (toolbox.ts), where the theme must follow DevTools' light/dark setting live. One Firefox for the file.
 *
 * What of testing-recipes §4 proved impossible on Firefox ESR 140.12 (Debian bookworm's; the recipe used 153),
 * and what replaced it:
 * - BiDi chrome scope: `browsingContext.getTree({ "moz:scope": "chrome" })` ignores the parameter and lists only
 *   the content tab (about:blank), so there is no chrome context to `script.evaluate` in. Marionette's chrome
 *   context cannot stand in beside puppeteer's session: `WebDriver:NewSession` fails with "session not created:
 *   Maximum number of active sessions", and without its own session `WebDriver:ExecuteScript` fails with
 *   "TypeError: can't access property "script", this.currentSession.timeouts is undefined". Replaced by the
 *   DevTools protocol's parent-process target (firefox.ts, rdp.ts).
 * - Reading the panel through its `<browser>`'s contentDocument: null (the browser is remote); with
 *   `extensions.webextensions.remote=false` the panel never loads (its `<browser>` stays at about:blank).
 *   Replaced by the add-on's DevTools frame targets (toolbox.ts).
 * - Puppeteer's `waitForFunction` in extension pages: "EvalError: call to Function() blocked by CSP"
 *   (firefox.ts `waitInExtensionPage`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "puppeteer-core";
import { startHarness, type Harness } from "../harness/deployment.ts";
import type { Scenario } from "../harness/scenarios.ts";
import { EXPECTATIONS, verifyScenario } from "../scenarios/expectations.ts";
import { viewOf, waitForPanel } from "../e2e/panel/panel-view.ts";
import { launchFirefoxWithAddon, type FirefoxWithAddon } from "./firefox.ts";
import { trustHarnessCertificate } from "./harness-names.ts";
import { toolboxes, type Toolboxes } from "./toolbox.ts";

const IN_TOOLBOX = ["clerk-no-template", "good", "admin-key"] as const;

describe("Firefox: harness scenarios", () => {
  let harness: Harness;
  let ff: FirefoxWithAddon;
  let toolbox: Toolboxes;
  const open: Page[] = [];

  beforeAll(async () => {
    harness = await startHarness({ hostNames: true });
    ff = await launchFirefoxWithAddon();
    await ff.chrome(trustHarnessCertificate(harness.tlsPort!));
    toolbox = await toolboxes(ff);
  });
  afterAll(async () => {
    await ff?.close();
    await harness?.close();
  });

  /** A new tab on the scenario's demo page; the pages of the previous test are closed first (fewer processes). */
  async function demoTab(scenario: Scenario): Promise<string> {
    for (const p of open.splice(0)) await p.close().catch(() => {});
    const url = harness.demoUrl(scenario);
    const page = await ff.browser.newPage();
    open.push(page);
    await page.goto(url);
    return url;
  }

  describe("panel in a tab", () => {
    for (const e of EXPECTATIONS) {
      it(e.scenario, async () => {
        const url = await demoTab(e.scenario);
        const panel = await ff.openExtensionPage(`src/panel/panel.html?tabId=${await ff.tabIdOf(url)}`);
        open.push(panel);
        await verifyScenario(viewOf(panel as unknown as Parameters<typeof viewOf>[0]), e, harness);
      });
    }
  });

  describe("the real DevTools toolbox", () => {
    for (const scenario of IN_TOOLBOX) {
      it(scenario, async () => {
        const url = await demoTab(scenario);
        const panel = await toolbox.open(url);
        try {
          // The real thing: DevTools APIs present, inspecting this tab, and no ?tabId fallback in play.
          expect(await panel.view.eval("[location.search, browser.devtools.inspectedWindow.tabId]")).toEqual(["", await ff.tabIdOf(url)]);
          await verifyScenario(panel.view, EXPECTATIONS.find((x) => x.scenario === scenario)!, harness);
        } finally {
          await panel.close();
        }
      });
    }

    it("the panel follows DevTools' theme, live (Settings → Themes: dark, then light)", async () => {
      const url = await demoTab("good");
      const panel = await toolbox.open(url);
      try {
        const theme = () => panel.view.eval<[string, string | undefined]>("[browser.devtools.panels.themeName, document.documentElement.dataset.theme]");
        // At start the panel shows the theme DevTools reports (headless: "auto", which Firefox resolves to light).
        await waitForPanel(panel.view, (s) => s.theme !== null, "a theme to be applied");
        const [name, applied] = await theme();
        expect(applied).toBe(name === "dark" ? "dark" : "light");
        await toolbox.setTheme("dark");
        await waitForPanel(panel.view, (s) => s.theme === "dark", "the panel to follow DevTools to dark");
        expect(await theme()).toEqual(["dark", "dark"]);
        await toolbox.setTheme("light");
        await waitForPanel(panel.view, (s) => s.theme === "light", "the panel to follow DevTools back to light");
        expect(await theme()).toEqual(["light", "light"]);
      } finally {
        await panel.close();
      }
    });
  });
});
