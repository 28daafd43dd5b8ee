/**
 * Every harness demo scenario, end to end: the real `convex` client in a page, the built extension, and the
 * panel — once as the REAL DevTools panel, once as panel.html?tabId=N in a tab — showing the connection state,
 * the predicted verdict (with the backend's code) and the finding IDs. The list and the checks are shared with
 * Firefox (test/scenarios/expectations.ts).
 */
import { test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { viewOf } from "./panel-view.ts";
import { EXPECTATIONS, verifyScenario } from "../../scenarios/expectations.ts";

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness({ hostNames: true });
});
test.afterAll(async () => {
  await harness?.close();
});

test.describe("real DevTools panel", () => {
  for (const e of EXPECTATIONS) {
    test(e.scenario, async ({ page, openPanel }) => {
      await page.goto(harness.demoUrl(e.scenario));
      const panel = viewOf(await openPanel(page));
      await verifyScenario(panel, e, harness);
    });
  }
});

test.describe("panel in a tab", () => {
  for (const e of EXPECTATIONS) {
    test(e.scenario, async ({ page, openPanelTab }) => {
      await page.goto(harness.demoUrl(e.scenario));
      const panel = viewOf(await openPanelTab(page));
      await verifyScenario(panel, e, harness);
    });
  }
});
