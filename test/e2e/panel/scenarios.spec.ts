/**
 * Every harness demo scenario, end to end: the real `convex` client in a page, the built extension, and the
 * panel — once as the REAL DevTools panel, once as panel.html?tabId=N in a tab — showing the connection state,
 * the predicted verdict (with the backend's code) and the finding IDs.
 */
import { expect, test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { pasteConfig, viewOf, waitForPanel, type PanelView } from "./panel-view.ts";
import { configJson, EXPECTATIONS, unmet, type ScenarioExpectation } from "./scenarios.ts";

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness({ hostNames: true });
});
test.afterAll(async () => {
  await harness?.close();
});

async function check(view: PanelView, e: ScenarioExpectation): Promise<void> {
  if (e.pasteConfig) {
    // The config editor needs the deployment to be seen first.
    await waitForPanel(view, (s) => s.connections.length > 0, "a connection to appear");
    await pasteConfig(view, configJson(harness));
    await waitForPanel(view, (s) => s.providersSource === "config", "the pasted config to be used");
  }
  const s = await waitForPanel(view, (snap) => unmet(e, snap).length === 0, `scenario ${e.scenario}: ${e.findings.join(", ")}`, 20_000);
  // Severity comes from the catalogue: error findings are shown as errors.
  for (const id of ["token-rejected", "admin-key-exposed", "http-auth-rejected", "iss-mismatch", "aud-missing"]) {
    const f = s.findings.find((x) => x.id === id);
    if (f) expect(f.severity, id).toBe("error");
  }
  if (e.verdict === null) expect(s.verdict).toBeNull();
  // An observed answer that differs from the prediction for now is explained (identity-expired) or a mismatch.
  const timeEdgeNote = await view.eval<boolean>(`!!document.querySelector('[data-testid="verdict-time-edge"]')`);
  expect(timeEdgeNote).toBe(e.predicted !== undefined && e.predicted !== e.verdict);
  // Two independent implementations agree: the panel's predicted text is the harness backend's actual text.
  if (e.verdict === "rejected" && e.observedRejection !== false) {
    expect(s.observedError, "the backend's error for the inspected token").not.toBeNull();
    expect(s.expectedMessage).toBe(s.observedError);
  }
}

test.describe("real DevTools panel", () => {
  for (const e of EXPECTATIONS) {
    test(e.scenario, async ({ page, openPanel }) => {
      await page.goto(harness.demoUrl(e.scenario));
      const panel = viewOf(await openPanel(page));
      await check(panel, e);
    });
  }
});

test.describe("panel in a tab", () => {
  for (const e of EXPECTATIONS) {
    test(e.scenario, async ({ page, openPanelTab }) => {
      await page.goto(harness.demoUrl(e.scenario));
      const panel = viewOf(await openPanelTab(page));
      await check(panel, e);
    });
  }
});
