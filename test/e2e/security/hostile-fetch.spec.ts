/**
 * Issue 7.1, as an attacker would try it: a page whose sync server answers with a dev NoAuthProvider AuthError
 * listing `OIDC(domain=http://127.0.0.1:<port>)` (and a CustomJWT item carrying a `jwks=` URL) that point at a
 * loopback server COUNTING every request. With the real DevTools panel open nothing is requested and the panel
 * lists the exact URL awaiting consent; a click on Fetch keys for that origin is the consent: exactly discovery,
 * then the jwks_uri, arrive. A jwks_uri on another origin waits for its own click. When the extension may not
 * read the issuer's answers (the user restricted its site access; the issuer sends no CORS headers), the panel
 * says "answered but unreadable" and offers Allow reading; granting the site re-reads.
 * The page is served under public-looking names (`*.convex.cloud`, mapped to 127.0.0.1 by the test browser's
 * resolver rules), so it is not "on loopback" for the policy.
 */
import { expect, test } from "../fixtures.ts";
import { DISCOVERY_PATH, startCountingIssuer, type CountingIssuer } from "../support/counting-issuer.ts";
import { answerNoAuthProvider, startTokenPage, type TokenPage } from "../support/token-page.ts";
import { viewOf, waitForPanel, type PanelView } from "../panel/panel-view.ts";
import { buttonOrigins, clickFor, expectOneClickFetchesExactly, fetchedRows, notFetchedRows, settle, waitFor, type Row } from "./key-fetches.ts";
import { grantSite, restrictSiteAccess } from "./site-access.ts";

let issuer: CountingIssuer;
/** Its discovery document names a jwks_uri on another origin (`split.keys`). */
let split: CountingIssuer;
/** Its discovery answers with a redirect to `target`'s discovery URL (another origin the user never approved). */
let redirector: CountingIssuer;
let target: CountingIssuer;
let site: TokenPage;
const tokens = new Map<CountingIssuer, string>();

/** The page's issuer, by the name it is served under: `split-*` and `redirect-*` name those issuers. */
const issuerFor = (host: string) => (host.startsWith("split-") ? split : host.startsWith("redirect-") ? redirector : issuer);

test.beforeAll(async () => {
  issuer = await startCountingIssuer();
  split = await startCountingIssuer({ jwksElsewhere: true });
  target = await startCountingIssuer();
  redirector = await startCountingIssuer({ discoveryRedirectsTo: `${target.base}${DISCOVERY_PATH}` });
  tokens.set(issuer, await issuer.token("user_hostile"));
  tokens.set(redirector, await redirector.token("user_redirect"));
  tokens.set(split, await split.token("user_split"));
  site = await startTokenPage({
    tokenFor: (host) => tokens.get(issuerFor(host))!,
    onAuthenticate: answerNoAuthProvider((host) => issuerFor(host).base),
  });
});

test.afterAll(async () => {
  await site?.close();
  await issuer?.close();
  await split?.close();
  await redirector?.close();
  await target?.close();
});

test.beforeEach(() => {
  for (const hits of [issuer.hits, split.hits, split.keys!.hits, redirector.hits, target.hits]) hits.length = 0;
});

/** A unique public-looking page URL per test (the fixtures find the tab by URL). */
const pageUrl = (name: string) => `http://${name}.convex.cloud:${site.port}/`;

async function waitForConsentList(view: PanelView): Promise<Row[]> {
  await waitForPanel(view, (s) => s.predicted === "unknown" && s.providersSource === "learned", "an unknown prediction against the learned providers");
  return waitFor(() => notFetchedRows(view), (w) => w.length > 0, "a URL awaiting consent");
}

function expectDiscoveryAwaitingConsent(waiting: Row[], base: string): void {
  expect(waiting.map((w) => w.url)).toEqual([`${base}${DISCOVERY_PATH}`]);
  expect(waiting[0]!.origin).toBe(base);
  expect(waiting[0]!.text).toContain(`Not fetched: ${base}${DISCOVERY_PATH}`);
  expect(waiting[0]!.text).toContain("learned from the page");
  expect(waiting[0]!.text).toContain("click Fetch keys to allow");
}

test("real DevTools panel: a page-chosen loopback issuer is listed, not fetched; one click fetches exactly discovery and jwks", async ({ page, openPanel }) => {
  await page.goto(pageUrl("hostile-devtools"));
  const view = viewOf(await openPanel(page));
  expectDiscoveryAwaitingConsent(await waitForConsentList(view), issuer.base);
  await expectOneClickFetchesExactly(view, issuer);
  await settle(500);
  expect(issuer.hits).toEqual([DISCOVERY_PATH, "/jwks"]);
});

test("real DevTools panel: a jwks_uri on another origin waits for its own click", async ({ page, openPanel }) => {
  await page.goto(pageUrl("split-devtools"));
  const view = viewOf(await openPanel(page));
  expectDiscoveryAwaitingConsent(await waitForConsentList(view), split.base);
  await clickFor(view, "fetch-keys", split.base);

  const keysUrl = `${split.keys!.base}/jwks`;
  const waiting = await waitFor(() => notFetchedRows(view), (w) => w.some((r) => r.url === keysUrl), "the other origin's jwks_uri awaiting consent");
  expect(waiting.map((w) => w.url)).toEqual([keysUrl]);
  expect(waiting[0]!.origin).toBe(split.keys!.base);
  expect(waiting[0]!.text).toContain(`the discovery document ${split.base}${DISCOVERY_PATH} names it, on another origin`);
  expect(await buttonOrigins(view, "fetch-keys")).toEqual([split.keys!.base]);
  await settle();
  expect(split.hits).toEqual([DISCOVERY_PATH]);
  expect(split.keys!.hits).toEqual([]);

  await clickFor(view, "fetch-keys", split.keys!.base);
  await waitForPanel(view, (s) => s.predicted === "accepted", "the accepted prediction after the second click");
  expect(split.keys!.hits).toEqual(["/jwks"]);
  // The discovery document is cacheable (max-age=600): the re-run after the second click did not request it again.
  expect(split.hits).toEqual([DISCOVERY_PATH]);
});

test("restricted site access: a no-CORS issuer is 'answered but unreadable' with Allow reading; granting the site re-reads", async ({ page, context, openPanel, extensionId }) => {
  const host = "unreadable-devtools.convex.cloud";
  await restrictSiteAccess(context, extensionId, [`http://${host}/*`]);
  await page.goto(pageUrl("unreadable-devtools"));
  const view = viewOf(await openPanel(page));
  expectDiscoveryAwaitingConsent(await waitForConsentList(view), issuer.base);
  await settle(500);
  expect(issuer.hits).toEqual([]);

  await clickFor(view, "fetch-keys", issuer.base);
  const rows = await waitFor(() => fetchedRows(view), (r) => r.some((x) => x.state === "unreadable"), "an unreadable row");
  expect(rows.map((r) => [r.url, r.state])).toEqual([[`${issuer.base}${DISCOVERY_PATH}`, "unreadable"]]);
  expect(rows[0]!.text).toContain("answered but unreadable");
  expect(await buttonOrigins(view, "allow-reading")).toEqual([issuer.base]);
  const s = await waitForPanel(view, (x) => x.predicted === "unknown", "an unknown prediction (the step was not checked)");
  expect(s.findings.map((f) => f.id)).toContain("check-incomplete");
  expect(s.findings.map((f) => f.id)).not.toContain("discovery-failed");
  // The request the browser would not let us read, then the no-cors probe that told "answered" from "unreachable".
  expect(issuer.hits).toEqual([DISCOVERY_PATH, DISCOVERY_PATH]);
  await settle(500);
  expect(issuer.hits).toEqual([DISCOVERY_PATH, DISCOVERY_PATH]);

  // The user grants the site (the Allow reading prompt, or the extension's site-access settings): onAdded re-reads.
  await grantSite(context, extensionId, "http://127.0.0.1/*");
  await waitForPanel(view, (x) => x.predicted === "accepted", "the accepted prediction once the site is granted");
  expect(issuer.hits).toEqual([DISCOVERY_PATH, DISCOVERY_PATH, DISCOVERY_PATH, "/jwks"]);
  expect(await buttonOrigins(view, "allow-reading")).toEqual([]);
});

test("real DevTools panel: an approved issuer's redirect is not followed (the browser hides its target)", async ({ page, openPanel }) => {
  await page.goto(pageUrl("redirect-devtools"));
  const view = viewOf(await openPanel(page));
  expectDiscoveryAwaitingConsent(await waitForConsentList(view), redirector.base);
  await clickFor(view, "fetch-keys", redirector.base);
  const rows = await waitFor(() => fetchedRows(view), (r) => r.length > 0, "the redirecting discovery URL's row");
  expect(rows.map((r) => [r.url, r.state])).toEqual([[`${redirector.base}${DISCOVERY_PATH}`, "failed"]]);
  expect(rows[0]!.text).toContain("redirect is not followed");
  const s = await waitForPanel(view, (x) => x.predicted === "unknown", "an unknown prediction (discovery not checked)");
  expect(s.findings.map((f) => f.id)).toContain("check-incomplete");
  await settle();
  expect(redirector.hits).toEqual([DISCOVERY_PATH]);
  // The redirect pointed at another loopback origin: it never heard from the panel.
  expect(target.hits).toEqual([]);
});
