/**
 * Theme: the real DevTools panel follows DevTools' theme ("default" → light, "dark" → dark, live through
 * setThemeChangeHandler); outside DevTools the panel
 * follows `prefers-color-scheme`, live. Screenshots for the docs: light on the good scenario, dark on a failing
 * one (docs/panel-light.png, docs/panel-dark.png, refreshed with UPDATE_DOCS=1).
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "../fixtures.ts";
import { ChildSession, listTargets } from "../extension/support/cdp-child.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { pasteConfig, viewOf, waitForPanel } from "./panel-view.ts";
import { configJson, EXPECTATIONS, unmet } from "../../scenarios/expectations.ts";

// The committed docs/ screenshots are refreshed on request (UPDATE_DOCS=1 npx playwright test theme); a normal
// run writes them to test-results/ so that `npm test` never rewrites tracked files.
const DOCS = process.env.UPDATE_DOCS
  ? resolve(import.meta.dirname, "../../../docs")
  : resolve(import.meta.dirname, "../../../test-results/docs");

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness({ hostNames: true }); // EXPECTATIONS assume the real-looking names
  mkdirSync(DOCS, { recursive: true });
});
test.afterAll(async () => {
  await harness?.close();
});

const background = (el: Element) => getComputedStyle(el).backgroundColor;

test("real DevTools panel follows the DevTools theme, live", async ({ page, openPanel, browserSession }) => {
  await page.goto(harness.demoUrl("good"));
  const panel = viewOf(await openPanel(page));
  const s = await waitForPanel(panel, (x) => x.theme !== null, "a theme to be applied");
  // Headless Chromium's DevTools start in the default (light) theme: "default" maps to light.
  expect(await panel.eval<string>("String(chrome.devtools.panels.themeName)")).toBe("default");
  expect(s.theme).toBe("light");

  // Switch DevTools itself to dark (its own setting, as the user would in DevTools → Settings → Appearance).
  const front = (await listTargets(browserSession)).find((t) => t.type === "page" && t.url.startsWith("devtools://"));
  expect(front, "the DevTools front-end target").toBeTruthy();
  const devtools = await ChildSession.attach(browserSession, front!.targetId);
  try {
    await devtools.evaluate(`(async () => {
      const Common = await import('./core/common/common.js');
      Common.Settings.Settings.instance().moduleSetting('ui-theme').set('dark');
      return true;
    })()`);
    await waitForPanel(panel, (x) => x.theme === "dark", "the panel to follow DevTools to dark");
    await devtools.evaluate(`(async () => {
      const Common = await import('./core/common/common.js');
      Common.Settings.Settings.instance().moduleSetting('ui-theme').set('default');
      return true;
    })()`);
    await waitForPanel(panel, (x) => x.theme === "light", "the panel to follow DevTools back to light");
  } finally {
    await devtools.detach();
  }
});

test("panel follows prefers-color-scheme outside DevTools; screenshots", async ({ page, openPanelTab }) => {
  const good = EXPECTATIONS.find((e) => e.scenario === "good")!;
  await page.goto(harness.demoUrl("good"));
  const tab = await openPanelTab(page);
  await tab.setViewportSize({ width: 1200, height: 760 });
  await tab.emulateMedia({ colorScheme: "light" });
  const view = viewOf(tab);
  await waitForPanel(view, (x) => x.connections.length > 0, "a connection");
  await pasteConfig(view, configJson(harness));
  await waitForPanel(view, (x) => unmet(good, x).length === 0, "the good scenario's verdict");
  await expect(tab.locator("html")).toHaveAttribute("data-theme", "light");
  const lightBg = await tab.locator("body").evaluate(background);
  await tab.screenshot({ path: resolve(DOCS, "panel-light.png") });

  // Live switch: the OS/browser preference changes while the panel is open.
  await tab.emulateMedia({ colorScheme: "dark" });
  await expect(tab.locator("html")).toHaveAttribute("data-theme", "dark");
  const darkBg = await tab.locator("body").evaluate(background);
  expect(darkBg).not.toBe(lightBg);
});

test("dark screenshot on a failing scenario", async ({ page, openPanelTab }) => {
  const failing = EXPECTATIONS.find((e) => e.scenario === "clerk-no-template")!;
  await page.goto(harness.demoUrl("clerk-no-template"));
  const tab = await openPanelTab(page);
  await tab.setViewportSize({ width: 1200, height: 760 });
  await tab.emulateMedia({ colorScheme: "dark" });
  const view = viewOf(tab);
  await waitForPanel(view, (x) => unmet(failing, x).length === 0, "the clerk-no-template findings");
  await expect(tab.locator("html")).toHaveAttribute("data-theme", "dark");
  await tab.screenshot({ path: resolve(DOCS, "panel-dark.png") });
});
