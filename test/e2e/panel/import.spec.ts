/**
 * Issue 8, panel side, in the REAL DevTools panel: export the session as HAR → `analyze` reads it to the same
 * finding IDs → the HAR dropped back into the panel shows the same findings, marked as imported, while the live
 * tab's log is untouched; Copy report puts exactly `analyze --markdown`'s report on the clipboard.
 */
import type { BrowserContext, Page } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "../fixtures.ts";
import { ChildSession } from "../extension/support/cdp-child.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { buildCli, runCli } from "../../unit/cli/run.ts";
import { snapshot, viewOf, waitForPanel } from "./panel-view.ts";
import { EXPECTATIONS, unmet } from "../../scenarios/expectations.ts";
import { dropFile, exportedText, findingIds, tempFile } from "./import-support.ts";

/** docs/panel-imported.png is refreshed with UPDATE_DOCS=1 (like theme.spec.ts); otherwise written under test-results. */
const DOCS = process.env.UPDATE_DOCS ? resolve(import.meta.dirname, "../../../docs") : resolve(import.meta.dirname, "../../../test-results/docs");

let harness: Harness;
test.beforeAll(async () => {
  buildCli();
  harness = await startHarness({ hostNames: true });
});
test.afterAll(async () => {
  await harness?.close();
});

const JWT_WITH_SIGNATURE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{16,}/;

/** The text on the system clipboard, read from the page's origin (the extension origin cannot be granted it). */
async function clipboardText(page: Page, context: BrowserContext): Promise<string> {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
  await page.bringToFront();
  return page.evaluate(() => navigator.clipboard.readText());
}

for (const scenario of ["clerk-no-template", "admin-key", "http-401"] as const) {
  test(`${scenario}: export HAR → analyze → import back, same findings; Copy report = analyze --markdown`, async ({ page, context, openPanel, browserSession }) => {
    const e = EXPECTATIONS.find((x) => x.scenario === scenario)!;
    await page.goto(harness.demoUrl(scenario));
    const panel = await openPanel(page);
    const view = viewOf(panel);
    const live = await waitForPanel(view, (s) => unmet(e, s).length === 0, `live findings ${e.findings.join(", ")}`, 20_000);
    const liveIds = await findingIds(view);

    const har = await exportedText(view, "export-har");
    const log = JSON.parse(har).log;
    expect(log.version).toBe("1.2");
    // http-401 is HTTP only: its calls (with the 401 bodies) are the entries.
    expect(log.entries.some((x: { _resourceType: string }) => x._resourceType === (scenario === "http-401" ? "fetch" : "websocket"))).toBe(true);
    expect(har).not.toMatch(JWT_WITH_SIGNATURE);
    if (scenario === "admin-key") expect(har).not.toContain(harness.adminKey.slice(harness.adminKey.indexOf("|") + 1));

    const file = tempFile(`${scenario}.har`, har);
    const analyzed = await runCli(["analyze", file, "--json"]);
    expect(analyzed.stderr).toBe("");
    const cliIds = [...new Set((JSON.parse(analyzed.stdout).findings as { id: string }[]).map((f) => f.id))].sort();
    expect(cliIds).toEqual(liveIds);

    await dropFile(view, `${scenario}.har`, har);
    // The live view already meets the expectations: wait for the file's own view, then for its findings.
    const imported = await waitForPanel(view, (s) => s.importedFile === `${scenario}.har` && unmet(e, s).length === 0 && s.connections.length === live.connections.length, "the imported file's findings");
    expect(await findingIds(view)).toEqual(liveIds);
    expect(imported.verdict).toBe(live.verdict);
    expect(imported.connections.map((c) => [c.state, c.auth])).toEqual(live.connections.map((c) => [c.state, c.auth]));

    // Chrome's own Network panel takes the file in: DevTools' HAR importer (the code behind "Import HAR file"),
    // run in this DevTools window, validates it and rebuilds the requests, the sockets with their frames.
    const dt = await ChildSession.attach(browserSession, panel.devtoolsTargetId);
    try {
      const chrome = await dt.evaluate<{ url: string; type: string; frames: number }[]>(`(async () => {
        const HAR = await import('./models/har/har.js');
        const root = new HAR.HARFormat.HARRoot(JSON.parse(${JSON.stringify(har)}));
        return HAR.Importer.Importer.requestsFromHARLog(root.log).map((r) => ({ url: r.url(), type: r.resourceType().name(), frames: r.frames().length }));
      })()`);
      const sockets = log.entries.filter((x: { _resourceType: string }) => x._resourceType === "websocket");
      expect(chrome.length).toBe(log.entries.length);
      expect(chrome.filter((r) => r.type === "websocket").map((r) => r.frames)).toEqual(sockets.map((x: { _webSocketMessages: unknown[] }) => x._webSocketMessages.length));
      expect(chrome.every((r) => r.frames === 0 || r.type === "websocket")).toBe(true);
    } finally {
      await dt.detach();
    }

    if (scenario === "clerk-no-template") {
      // The whole DevTools window showing the imported session (the screenshot in docs/).
      const dt = await ChildSession.attach(browserSession, panel.devtoolsTargetId);
      try {
        await dt.evaluate(`(async () => { const UI = await import('./ui/legacy/legacy.js'); UI.DockController.DockController.instance().setDockSide('undocked'); })()`).catch(() => {});
        await dt.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 760, deviceScaleFactor: 1, mobile: false });
        await new Promise((r) => setTimeout(r, 400));
        const shot = await dt.send<{ data: string }>("Page.captureScreenshot", { format: "png" });
        mkdirSync(DOCS, { recursive: true });
        writeFileSync(resolve(DOCS, "panel-imported.png"), Buffer.from(shot.data, "base64"));
      } finally {
        await dt.detach();
      }
    }

    // Copy report on the imported file: the clipboard holds exactly what `analyze --markdown` prints for it.
    await view.eval(`document.querySelector('[data-testid="copy-report"]').click()`);
    await panel.waitFor(`document.querySelector('[data-testid="copy-report-done"]')?.dataset.state`);
    expect(await view.eval(`document.querySelector('[data-testid="copy-report-done"]').dataset.state`)).toBe("copied");
    const report = await clipboardText(page, context);
    const markdown = await runCli(["analyze", file, "--markdown"]);
    expect(report).toBe(markdown.stdout);
    expect(report).toContain(`**Capture:** HAR (`);
    for (const id of e.findings) expect(report).toContain(`\`${id}\``);
    expect(report).not.toMatch(JWT_WITH_SIGNATURE);
    expect(report).not.toMatch(/cookie/i);
    if (scenario === "admin-key") expect(report).not.toContain(harness.adminKey.slice(harness.adminKey.indexOf("|") + 1));

    await view.eval(`document.querySelector('[data-testid="back-to-live"]').click()`);
    const back = await snapshot(view);
    expect(await view.eval(`document.querySelector('[data-testid="panel"]').dataset.view`)).toBe("live");
    expect(back.connections).toEqual(live.connections);
  });
}
