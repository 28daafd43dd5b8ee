/**
 * Issue 7.1, loopback rule for a PASTED config: a config the user pasted names an issuer on 127.0.0.1 (a loopback
 * server COUNTING every request). While the inspected page is on a non-loopback address (this machine's own
 * non-internal IPv4), the panel requests nothing and lists the discovery URL with why; a click on Fetch keys
 * fetches exactly discovery + jwks. When the page itself is on 127.0.0.1 (a local dev app), the configured
 * loopback issuer is fetched without a click. The real DevTools panel; the token is jose-signed at test time.
 */
import { networkInterfaces } from "node:os";
import { expect, test } from "../fixtures.ts";
import { DISCOVERY_PATH, startCountingIssuer, type CountingIssuer } from "../support/counting-issuer.ts";
import { startTokenPage, type TokenPage } from "../support/token-page.ts";
import { pasteConfig, viewOf, waitForPanel } from "../panel/panel-view.ts";
import { buttonOrigins, expectOneClickFetchesExactly, fetchedRows, notFetchedRows, waitFor } from "./key-fetches.ts";

/** This machine's first non-internal IPv4 address, or null. */
const ownAddress =
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address ?? null;

let issuer: CountingIssuer;
let site: TokenPage;
let token = "";

test.beforeAll(async () => {
  issuer = await startCountingIssuer();
  token = await issuer.token("user_pasted");
  // On every address, so the same page is reachable as 127.0.0.1 and as this machine's own address.
  site = await startTokenPage({ tokenFor: () => token, host: "0.0.0.0" });
});

test.afterAll(async () => {
  await site?.close();
  await issuer?.close();
});

test.beforeEach(() => {
  issuer.hits.length = 0;
});

const config = () => JSON.stringify({ providers: [{ domain: issuer.base, applicationID: "convex" }] });

test("page on a non-loopback address: the pasted loopback issuer waits for a click, then exactly discovery + jwks", async ({ page, openPanel }) => {
  test.skip(ownAddress === null, "this machine has no non-internal IPv4 address to serve the page from");
  await page.goto(`http://${ownAddress}:${site.port}/pasted`);
  const view = viewOf(await openPanel(page));
  await waitForPanel(view, (s) => s.connections.length === 1, "the page's connection");
  await pasteConfig(view, config());
  await waitForPanel(view, (s) => s.providersSource === "config" && s.predicted === "unknown", "an unknown prediction against the pasted config");
  const waiting = await waitFor(() => notFetchedRows(view), (w) => w.length > 0, "the discovery URL awaiting consent");
  expect(waiting.map((w) => [w.url, w.origin])).toEqual([[`${issuer.base}${DISCOVERY_PATH}`, issuer.base]]);
  expect(waiting[0]!.text).toContain("an OIDC issuer in your config");
  expect(waiting[0]!.text).toContain("on a loopback address");
  expect(waiting[0]!.text).toContain("the inspected page is not on loopback");
  await expectOneClickFetchesExactly(view, issuer);
});

test("page on 127.0.0.1: the pasted loopback issuer is fetched without a click", async ({ page, openPanel }) => {
  await page.goto(`http://127.0.0.1:${site.port}/pasted`);
  const view = viewOf(await openPanel(page));
  await waitForPanel(view, (s) => s.connections.length === 1, "the page's connection");
  await pasteConfig(view, config());
  await waitForPanel(view, (s) => s.providersSource === "config" && s.predicted === "accepted", "the accepted prediction without a click");
  expect(issuer.hits).toEqual([DISCOVERY_PATH, "/jwks"]);
  expect(await buttonOrigins(view, "fetch-keys")).toEqual([]);
  expect(await notFetchedRows(view)).toEqual([]);
  const rows = await fetchedRows(view);
  expect(rows.map((r) => [r.url, r.state])).toEqual([
    [`${issuer.base}${DISCOVERY_PATH}`, "read"],
    [`${issuer.base}/jwks`, "read"],
  ]);
  for (const r of rows) expect(r.text).toContain("the inspected page is on loopback too");
});
