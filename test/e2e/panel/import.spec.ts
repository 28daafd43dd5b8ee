/**
 * Issue 8, panel side, in the REAL DevTools panel: export the session as HAR → `analyze` reads it to the same
 * finding IDs → the HAR dropped back into the panel shows the same findings, marked as imported, while the live
 * tab's log is untouched; Copy report puts exactly `analyze --markdown`'s report on the clipboard.
 */
import { expect, test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { buildCli, runCli } from "../../unit/cli/run.ts";
import { snapshot, viewOf, waitForPanel } from "./panel-view.ts";
import { EXPECTATIONS, unmet } from "./scenarios.ts";
import { dropFile, exportedText, findingIds, tempFile } from "./import-support.ts";

let harness: Harness;
test.beforeAll(async () => {
  buildCli();
  harness = await startHarness({ hostNames: true });
});
test.afterAll(async () => {
  await harness?.close();
});

const JWT_WITH_SIGNATURE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{16,}/;

for (const scenario of ["clerk-no-template", "admin-key"] as const) {
  test(`${scenario}: export HAR → analyze → import back, same findings`, async ({ page, openPanel }) => {
    const e = EXPECTATIONS.find((x) => x.scenario === scenario)!;
    await page.goto(harness.demoUrl(scenario));
    const view = viewOf(await openPanel(page));
    const live = await waitForPanel(view, (s) => unmet(e, s).length === 0, `live findings ${e.findings.join(", ")}`, 20_000);
    const liveIds = await findingIds(view);

    const har = await exportedText(view, "export-har");
    const log = JSON.parse(har).log;
    expect(log.version).toBe("1.2");
    expect(log.entries.some((x: { _resourceType: string }) => x._resourceType === "websocket")).toBe(true);
    expect(har).not.toMatch(JWT_WITH_SIGNATURE);
    if (scenario === "admin-key") expect(har).not.toContain(harness.adminKey.slice(harness.adminKey.indexOf("|") + 1));

    const file = tempFile(`${scenario}.har`, har);
    const analyzed = await runCli(["analyze", file, "--json"]);
    expect(analyzed.stderr).toBe("");
    const cliIds = [...new Set((JSON.parse(analyzed.stdout).findings as { id: string }[]).map((f) => f.id))].sort();
    expect(cliIds).toEqual(liveIds);

    await dropFile(view, `${scenario}.har`, har);
    const imported = await waitForPanel(view, (s) => unmet(e, s).length === 0 && s.connections.length > 0, "the imported findings");
    expect(await view.eval(`document.querySelector('[data-testid="import-banner"]')?.getAttribute('data-file')`)).toBe(`${scenario}.har`);
    expect(await findingIds(view)).toEqual(liveIds);
    expect(imported.verdict).toBe(live.verdict);
    expect(imported.connections.map((c) => [c.state, c.auth])).toEqual(live.connections.map((c) => [c.state, c.auth]));

    await view.eval(`document.querySelector('[data-testid="back-to-live"]').click()`);
    const back = await snapshot(view);
    expect(await view.eval(`document.querySelector('[data-testid="panel"]').dataset.view`)).toBe("live");
    expect(back.connections).toEqual(live.connections);
  });
}
