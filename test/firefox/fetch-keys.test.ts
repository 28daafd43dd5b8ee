/**
 * Firefox ESR, the built add-on's panel (in a tab, recipe §4), against loopback issuers COUNTING every request:
 * - a page whose backend names its own issuer in a NoAuthProvider text: nothing is requested until the click on
 *   Fetch keys for that origin, then exactly discovery + jwks, and the prediction is accepted;
 * - a pasted config naming a loopback issuer while the page is on 127.0.0.1 too: fetched without a click.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchFirefoxWithAddon, type FirefoxWithAddon } from "./firefox.ts";
import { DISCOVERY_PATH, startCountingIssuer, type CountingIssuer } from "../e2e/support/counting-issuer.ts";
import { answerNoAuthProvider, startTokenPage, type TokenPage } from "../e2e/support/token-page.ts";
import { pasteConfig, viewOf, waitForPanel, type PanelView } from "../e2e/panel/panel-view.ts";
import { buttonOrigins, clickFor, fetchedRows, notFetchedRows, settle, waitFor } from "../e2e/security/key-fetches.ts";

describe("Firefox: key fetching in the panel", () => {
  let ff: FirefoxWithAddon;
  /** Named by the page's backend (learned, untrusted). */
  let learned: CountingIssuer;
  /** Named by the config the user pastes. */
  let pasted: CountingIssuer;
  let site: TokenPage;

  beforeAll(async () => {
    learned = await startCountingIssuer();
    pasted = await startCountingIssuer();
    const tokens = { learned: await learned.token("user_ff_learned"), pasted: await pasted.token("user_ff_pasted") };
    site = await startTokenPage({
      tokenFor: (_host, path) => (path === "/learned" ? tokens.learned : tokens.pasted),
      onAuthenticate: answerNoAuthProvider(() => learned.base),
    });
    ff = await launchFirefoxWithAddon();
  });
  afterAll(async () => {
    await ff?.close();
    await site?.close();
    await learned?.close();
    await pasted?.close();
  });

  async function panelFor(path: string): Promise<PanelView> {
    const url = `${site.base}${path}`;
    const page = await ff.browser.newPage();
    await page.goto(url);
    const panel = await ff.openExtensionPage(`src/panel/panel.html?tabId=${await ff.tabIdOf(url)}`);
    return viewOf(panel as unknown as Parameters<typeof viewOf>[0]);
  }

  it("a page-named issuer: zero requests until Fetch keys, then exactly discovery + jwks", async () => {
    const view = await panelFor("/learned");
    await waitForPanel(view, (s) => s.providersSource === "learned" && s.predicted === "unknown", "an unknown prediction against the learned providers");
    const waiting = await waitFor(() => notFetchedRows(view), (w) => w.length > 0, "a URL awaiting consent");
    expect(waiting.map((w) => [w.url, w.origin])).toEqual([[`${learned.base}${DISCOVERY_PATH}`, learned.base]]);
    expect(await buttonOrigins(view, "fetch-keys")).toEqual([learned.base]);
    await settle();
    expect(learned.hits).toEqual([]);

    await clickFor(view, "fetch-keys", learned.base);
    await waitForPanel(view, (s) => s.predicted === "accepted", "the accepted prediction after the click");
    expect(learned.hits).toEqual([DISCOVERY_PATH, "/jwks"]);
    expect((await fetchedRows(view)).map((r) => r.state)).toEqual(["read", "read"]);
  });

  it("a pasted loopback issuer with the page on 127.0.0.1: fetched without a click", async () => {
    const view = await panelFor("/pasted");
    await waitForPanel(view, (s) => s.connections.length > 0, "the page's connection");
    await pasteConfig(view, JSON.stringify({ providers: [{ domain: pasted.base, applicationID: "convex" }] }));
    await waitForPanel(view, (s) => s.providersSource === "config" && s.predicted === "accepted", "the accepted prediction without a click");
    expect(pasted.hits).toEqual([DISCOVERY_PATH, "/jwks"]);
    const rows = await fetchedRows(view);
    expect(rows.map((r) => r.url)).toEqual([`${pasted.base}${DISCOVERY_PATH}`, `${pasted.base}/jwks`]);
    for (const r of rows) expect(r.text).toContain("the inspected page is on loopback too");
  });
});
