/**
 * The panel's fetch policy on a real page: a token's page-chosen `iss` is never fetched while no provider list
 * names it; once a pasted config names it, discovery and the JWKS it names are fetched and the signature is
 * checked (the issuer serves no CORS headers: Chromium lets the extension read it through the host access its
 * http/https content scripts already have). The token is signed with jose at test time.
 */
import { expect, test } from "../fixtures.ts";
import { DISCOVERY_PATH, startCountingIssuer, type CountingIssuer } from "../support/counting-issuer.ts";
import { startTokenPage, type TokenPage } from "../support/token-page.ts";
import { pasteConfig, viewOf, waitForPanel } from "./panel-view.ts";

let issuer: CountingIssuer;
let site: TokenPage;
let token = "";

test.beforeAll(async () => {
  // An OIDC issuer that serves its documents WITHOUT CORS headers (many real ones do the same).
  issuer = await startCountingIssuer();
  token = await issuer.token("user_policy");
  // /garbage: an app whose fetchToken returns an opaque session id instead of a JWT.
  site = await startTokenPage({ tokenFor: (_host, path) => (path === "/garbage" ? "opaque-session-4f9c2a7e" : token) });
});

test.afterAll(async () => {
  await site?.close();
  await issuer?.close();
});

test("page-chosen iss is not fetched until a config names it; then keys are fetched and checked", async ({ page, openPanelTab }) => {
  issuer.hits.length = 0;
  await page.goto(`${site.base}/policy`);
  const tab = await openPanelTab(page);
  const view = viewOf(tab);

  // No provider list known: the verdict is honestly unknown and nothing was fetched from the token's iss.
  await waitForPanel(view, (s) => s.verdict === "unknown" && s.connections.length === 1, "an unknown verdict");
  await expect(tab.getByTestId("verdict")).toHaveAttribute("data-reason", "no-providers");
  await tab.waitForTimeout(500);
  expect(issuer.hits).toEqual([]);

  // The user's config names the issuer: its discovery document and JWKS may be fetched now.
  await pasteConfig(view, JSON.stringify({ providers: [{ domain: issuer.base, applicationID: "convex" }] }));
  const s = await waitForPanel(view, (x) => x.providersSource === "config" && x.verdict === "accepted", "the accepted verdict");
  expect(s.findings.map((f) => f.id)).toContain("identity-preview");
  // Exactly discovery and the JWKS it names, once each (the page is on loopback too, so no click is needed).
  expect(issuer.hits).toEqual([DISCOVERY_PATH, "/jwks"]);
});

test("with no provider list known, a token no list could save is already rejected, with the backend's text", async ({ page, openPanelTab }) => {
  await page.goto(`${site.base}/garbage`);
  const tab = await openPanelTab(page);
  const view = viewOf(tab);
  const s = await waitForPanel(view, (x) => x.verdict === "rejected", "a rejected verdict without any config");
  expect(s.providersSource).not.toBe("config");
  expect(s.expectedCode).toBe("InvalidAuthHeader");
  expect(s.expectedMessage).toBe(
    "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.",
  );
  expect(s.findings.map((f) => f.id)).toContain("not-a-jwt");
});
