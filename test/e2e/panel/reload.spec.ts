/**
 * "Reload to capture": the extension is installed AFTER the page loaded (the Convex client already holds the
 * original WebSocket), so the panel must say the socket is invisible and offer a reload; the button reloads the
 * inspected page through the real DevTools panel and the connection then appears.
 */
import { expect, test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { viewOf, waitForPanel } from "./panel-view.ts";

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness();
});
test.afterAll(async () => {
  await harness?.close();
});

test.describe("extension installed after the page loaded", () => {
  test.use({ loadExtensionAtLaunch: false });

  test("real panel: banner, then Reload to capture shows the connection", async ({ page, installExtension, openPanel }) => {
    await page.goto(harness.demoUrl("good"));
    // The page's own socket is up and authenticated before the extension exists.
    await expect.poll(() => harness.connections.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await installExtension();
    const panel = viewOf(await openPanel(page));

    const before = await waitForPanel(panel, (s) => s.bannerReload, "the Reload to capture banner");
    expect(before.connections).toHaveLength(0);
    const text = await panel.eval<string>(`document.querySelector('[data-testid="banner-reload"]').textContent`);
    expect(text).toContain("This page was loaded before Convex Auth Inspector could attach, so its Convex socket is invisible");
    expect(before.findings.map((f) => f.id)).toContain("socket-missed");

    await panel.eval(`(document.querySelector('[data-testid="reload-to-capture"]').click(), true)`);
    const after = await waitForPanel(
      panel,
      (s) => !s.bannerReload && s.connections.some((c) => c.auth === "accepted"),
      "the reloaded page's accepted connection",
    );
    expect(after.findings.map((f) => f.id)).not.toContain("socket-missed");
  });
});
