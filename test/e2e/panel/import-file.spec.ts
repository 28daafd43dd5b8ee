/**
 * Panel import through the Open… button's file input (panel in a tab: Playwright sets the input's file, which the
 * DevTools-hosted panel does not expose to it): our JSON export read back; the live tab keeps capturing
 * underneath and Back to live shows it; bad files give one specific line and the panel keeps working.
 */
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import { pasteConfig, snapshot, viewOf, waitForPanel } from "./panel-view.ts";
import { configJson, EXPECTATIONS, unmet } from "../../scenarios/expectations.ts";
import { findingIds, tempFile } from "./import-support.ts";

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness({ hostNames: true });
});
test.afterAll(async () => {
  await harness?.close();
});

async function download(tab: Page, testId: string): Promise<string> {
  const [d] = await Promise.all([tab.waitForEvent("download", { timeout: 10_000 }), tab.getByTestId(testId).click()]);
  return readFileSync((await d.path())!, "utf8");
}

const viewOfTab = (tab: Page) => tab.evaluate(() => document.querySelector<HTMLElement>('[data-testid="panel"]')!.dataset.view);

test("open our JSON export: same findings, capture time shown; live capture continues underneath", async ({ page, openPanelTab }) => {
  const e = EXPECTATIONS.find((x) => x.scenario === "wrong-issuer")!;
  await page.goto(harness.demoUrl(e.scenario));
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  await waitForPanel(view, (s) => unmet(e, s).length === 0, "the live findings", 20_000);
  // The client may still be retrying (client-gave-up comes later), and the panel publishes findings on a timer
  // (≤ 250 ms) after the events: take an export between two equal readings of the live findings, a second
  // apart, so the export and the live view describe the same events.
  let liveIds: string[] = [];
  let exported = "";
  for (let attempt = 0; ; attempt++) {
    const before = await findingIds(view);
    exported = await download(tab, "export");
    await tab.waitForTimeout(1000);
    liveIds = await findingIds(view);
    if (JSON.stringify(before) === JSON.stringify(liveIds)) break;
    if (attempt === 5) throw new Error(`the live findings kept changing: ${before.join(",")} → ${liveIds.join(",")}`);
  }
  const live = await snapshot(view);
  const firstT = Math.min(...(JSON.parse(exported).events as { ev: { t: number } }[]).map((x) => x.ev.t));

  await tab.getByTestId("import-input").setInputFiles(tempFile("session.json", exported));
  await expect(tab.getByTestId("import-banner")).toHaveAttribute("data-kind", "export");
  expect(await viewOfTab(tab)).toBe("imported");
  await expect(tab.getByTestId("import-captured-at")).toHaveText(new Date(firstT).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC"));
  const imported = await waitForPanel(view, (s) => unmet(e, s).length === 0, "the imported findings");
  expect(await findingIds(view)).toEqual(liveIds);
  expect(imported.connections).toEqual(live.connections);

  // The live tab keeps capturing underneath: a reload adds connections to the live log, not to the file's view.
  await page.reload();
  await page.waitForTimeout(2500);
  expect((await snapshot(view)).connections).toEqual(live.connections);
  await tab.getByTestId("back-to-live").click();
  expect(await viewOfTab(tab)).toBe("live");
  await waitForPanel(view, (s) => s.connections.length > live.connections.length, "the live log with the reload's connections");
  await expect(tab.getByTestId("import-banner")).toHaveCount(0);
});

const BAD: { name: string; text: (har: string) => string; message: RegExp }[] = [
  { name: "notes.txt", text: () => "hello, not JSON", message: /^Not a HAR file or export: expected a JSON object, found "h" at byte 0\.$/ },
  { name: "truncated.har", text: (har) => har.slice(0, Math.floor(har.length / 2)), message: /^The file ends at byte \d+ inside HAR entry \d+ before the JSON document is complete: it looks truncated\.$/ },
  { name: "other.json", text: () => JSON.stringify({ hello: "world" }), message: /neither a HAR file .* nor a convex-auth-inspector export/ },
  { name: "empty.har", text: () => "", message: /^The file is empty\.$/ },
];

test("bad files: one specific line each, nothing shown changes, the panel keeps working", async ({ page, openPanelTab }) => {
  await page.goto(harness.demoUrl("admin-key"));
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  const live = await waitForPanel(view, (s) => s.findings.some((f) => f.id === "admin-key-exposed"), "admin-key-exposed");
  const har = await download(tab, "export-har");
  for (const bad of BAD) {
    await tab.getByTestId("import-input").setInputFiles(tempFile(bad.name, bad.text(har)));
    const error = tab.getByTestId("import-error");
    await expect(error).toHaveAttribute("data-file", bad.name);
    const text = (await error.locator("span").innerText()).replace(`Could not import ${bad.name}: `, "");
    expect(text).toMatch(bad.message);
    expect(text).not.toContain("\n");
    expect(await viewOfTab(tab)).toBe("live");
    expect((await snapshot(view)).findings.map((f) => f.id)).toEqual(live.findings.map((f) => f.id));
  }
  // And a good file afterwards still imports (and clears the error line).
  await tab.getByTestId("import-input").setInputFiles(tempFile("good.har", har));
  await expect(tab.getByTestId("import-banner")).toHaveAttribute("data-kind", "har");
  await expect(tab.getByTestId("import-error")).toHaveCount(0);
  await waitForPanel(view, (s) => s.findings.some((f) => f.id === "admin-key-exposed"), "admin-key-exposed from the HAR");
});

test("a file's token is judged when it was sent: identity-expired's token predicted accepted in the file, rejected live now", async ({ page, openPanelTab }) => {
  const e = EXPECTATIONS.find((x) => x.scenario === "identity-expired")!;
  await page.goto(harness.demoUrl(e.scenario));
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  await waitForPanel(view, (s) => s.connections.length > 0, "a connection to appear");
  await pasteConfig(view, configJson(harness));
  // Live: the server accepted the token when sent; judged now (it has expired since) the prediction is rejected.
  const live = await waitForPanel(view, (s) => unmet(e, s).length === 0, "the live findings", 20_000);
  expect([live.verdict, live.predicted]).toEqual(["accepted", "rejected"]);
  // The redacted HAR: the signature is gone, so it cannot be checked — unknown, never signature-invalid.
  const redacted = await download(tab, "export-har");
  await tab.getByTestId("import-input").setInputFiles(tempFile("identity-expired.har", redacted));
  await expect(tab.getByTestId("import-banner")).toHaveAttribute("data-file", "identity-expired.har");
  const noSignature = await waitForPanel(view, (s) => s.verdict === "accepted" && s.predicted === "unknown", "unknown: the signature was removed");
  expect(noSignature.findings.map((f) => f.id)).not.toContain("signature-invalid");
  expect(noSignature.findings.find((f) => f.id === "check-incomplete")?.message).toContain("signature was removed when the capture was exported");

  // With secrets: judged at the moment it was sent, the same token is predicted accepted, and no time edge
  // separates the prediction from the server's answer. (Export writes what is shown: back to the live log first.)
  await tab.getByTestId("back-to-live").click();
  await tab.getByTestId("include-secrets").check();
  const withSecrets = await download(tab, "export-har");
  expect(withSecrets).not.toContain("[signature-removed]");
  await tab.getByTestId("import-input").setInputFiles(tempFile("identity-expired-secrets.har", withSecrets));
  await expect(tab.getByTestId("import-banner")).toHaveAttribute("data-file", "identity-expired-secrets.har");
  const imported = await waitForPanel(view, (s) => s.verdict === "accepted" && s.predicted === "accepted", "the prediction at the time the token was sent");
  expect(imported.verdictSource).toBe("observed");
  expect(await tab.locator('[data-testid="verdict-time-edge"]').count()).toBe(0);
  expect(imported.findings.map((f) => f.id)).toContain("identity-expired");
});
