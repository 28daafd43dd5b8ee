/**
 * Panel interactions on real traffic: Export is redacted by default and "include secrets" still masks the admin
 * key; the token is redacted until Reveal; a finding's evidence link opens that frame; the Config editor lists
 * unresolved process.env names and uses the config once they are filled in (and keeps it across a panel reload,
 * from storage.local, without storing any token).
 */
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
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

async function exportText(tab: Page, secrets: boolean): Promise<string> {
  const box = tab.getByTestId("include-secrets");
  if ((await box.isChecked()) !== secrets) await box.click();
  const [download] = await Promise.all([tab.waitForEvent("download", { timeout: 10_000 }), tab.getByTestId("export").click()]);
  return readFileSync((await download.path())!, "utf8");
}

test("export is redacted by default; secrets only on request; admin key always masked", async ({ page, openPanelTab }) => {
  await page.goto(harness.demoUrl("admin-key"));
  const tab = await openPanelTab(page);
  await waitForPanel(viewOf(tab), (s) => s.findings.some((f) => f.id === "admin-key-exposed"), "admin-key-exposed");
  const secret = harness.adminKey.slice(harness.adminKey.indexOf("|") + 1);
  expect(secret.length).toBeGreaterThan(10);
  // Not in the DOM either: the panel masks it everywhere.
  expect(await tab.locator("body").innerText()).not.toContain(secret);

  const redacted = await exportText(tab, false);
  expect(JSON.parse(redacted)).toBeTruthy();
  expect(redacted).not.toContain(secret);
  expect(redacted).toContain("dev:harness|");

  const withSecrets = await exportText(tab, true);
  expect(withSecrets).not.toContain(secret);
});

test("token redacted until Reveal; export keeps signatures out unless asked", async ({ page, openPanelTab }) => {
  await page.goto(harness.demoUrl("http-401"));
  const tab = await openPanelTab(page);
  await waitForPanel(viewOf(tab), (s) => s.verdict === "rejected", "a rejected verdict");
  await expect(tab.getByTestId("token-redacted")).toBeVisible();
  await tab.getByTestId("reveal").click();
  const raw = (await tab.getByTestId("token-raw").getAttribute("data-full"))!;
  const signature = raw.split(".")[2]!;
  expect(signature.length).toBeGreaterThan(20);
  await tab.getByTestId("reveal").click();
  await expect(tab.getByTestId("token-raw")).toHaveCount(0);
  expect(await tab.locator("body").innerText()).not.toContain(signature);

  expect(await exportText(tab, false)).not.toContain(signature);
  expect(await exportText(tab, true)).toContain(signature);
});

test("evidence link opens the frame; details close with Esc", async ({ page, openPanelTab }) => {
  await page.goto(harness.demoUrl("wrong-issuer"));
  const tab = await openPanelTab(page);
  await waitForPanel(viewOf(tab), (s) => s.findings.some((f) => f.id === "token-rejected"), "token-rejected");
  await tab.locator('[data-testid="finding"][data-id="token-rejected"] [data-testid="finding-evidence"]').click();
  const details = tab.getByTestId("details");
  await expect(details).toBeVisible();
  await expect(details.getByTestId("details-frame")).toContainText("AuthError");
  await expect(details.getByTestId("classified")).toHaveAttribute("data-code", "NoAuthProvider");
  // The docs link opens in a new tab without a referrer.
  const docs = tab.locator('[data-testid="finding"][data-id="token-rejected"] [data-testid="finding-docs"]');
  await expect(docs).toHaveAttribute("target", "_blank");
  await expect(docs).toHaveAttribute("rel", "noreferrer");
  await tab.keyboard.press("Escape");
  await expect(details).toHaveCount(0);

  // An Authenticate frame's details show the token without its signature.
  await tab.getByTestId("reveal").click();
  const signature = (await tab.getByTestId("token-raw").getAttribute("data-full"))!.split(".")[2]!;
  await tab.getByTestId("reveal").click();
  await tab.locator('[data-testid="timeline-row"][data-kind="authenticate"]').first().dblclick();
  await expect(details.getByTestId("details-frame")).toContainText("[signature-removed]");
  expect(await details.innerText()).not.toContain(signature);
});

test("config editor: env names listed, config used once resolved, kept across reopen", async ({ page, openPanelTab }) => {
  await page.goto(harness.demoUrl("good"));
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  await waitForPanel(view, (s) => s.connections.some((c) => c.auth === "accepted"), "an accepted connection");
  // No config yet: the headline is what the server did; the prediction beside it is unknown (no providers).
  const before = await waitForPanel(view, (s) => s.verdict !== null && s.predicted === "unknown", "a verdict");
  expect([before.verdict, before.verdictSource]).toEqual(["accepted", "observed"]);

  await tab.getByTestId("config-section").locator("summary").click();
  const source = `export default {
  providers: [{ domain: process.env.CLERK_ISSUER_URL, applicationID: "convex" }],
};
`;
  await tab.getByTestId("config-text").fill(source);
  await expect(tab.getByTestId("config-unresolved")).toContainText("CLERK_ISSUER_URL");
  await tab.getByTestId("env-CLERK_ISSUER_URL").fill(harness.issuers.oidc.issuer);
  await expect(tab.getByTestId("config-unresolved")).toHaveCount(0);
  await tab.getByTestId("config-save").click();
  await waitForPanel(view, (s) => s.providersSource === "config" && s.verdict === "accepted" && s.predicted === "accepted", "the accepted verdict from the config");

  // Stored per deployment (text + env only): a fresh panel uses it without pasting again.
  const stored = await tab.evaluate(() => chrome.storage.local.get(null));
  const dump = JSON.stringify(stored);
  expect(dump).toContain("CLERK_ISSUER_URL");
  expect(dump).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT anywhere in storage
  await tab.reload();
  await waitForPanel(viewOf(tab), (s) => s.verdict === "accepted" && s.predicted === "accepted", "the stored config to be used after reopening");
});

test("preserve log keeps earlier pages; off, a navigation starts over; Clear empties", async ({ page, openPanelTab }) => {
  await page.goto(harness.demoUrl("good"));
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  await waitForPanel(view, (s) => s.connections.some((c) => c.auth === "accepted"), "the first page's connection");
  await expect(tab.getByTestId("preserve-log")).toBeChecked();

  await page.reload();
  const kept = await waitForPanel(
    view,
    (s) => s.connections.length === 2 && s.connections.some((c) => c.auth === "accepted" && c.state === "open"),
    "both pages' connections (preserve log on)",
  );
  expect(new Set(kept.connections.map((c) => c.id.split(":")[0])).size).toBe(2);

  await tab.getByTestId("preserve-log").uncheck();
  await page.reload();
  await waitForPanel(
    view,
    (s) => s.connections.length === 1 && s.connections[0]!.auth === "accepted",
    "only the newest page's connection (preserve log off)",
  );

  await tab.getByTestId("clear").click();
  const cleared = await waitForPanel(view, (s) => s.connections.length === 0 && s.timelineRows === 0, "an empty panel after Clear");
  expect(cleared.verdict).toBeNull();
});
