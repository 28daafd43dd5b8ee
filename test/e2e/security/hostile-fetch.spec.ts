/**
 * Issue 7.1, as an attacker would try it: a page whose sync server answers with a dev NoAuthProvider AuthError
 * listing `OIDC(domain=http://127.0.0.1:<port>)` (and a CustomJWT item carrying a `jwks=` URL) that point at a
 * loopback server COUNTING every request. With the panel open nothing is requested and the panel lists the
 * exact URL awaiting consent; after a click on Fetch keys exactly discovery, then the jwks_uri, arrive.
 * The page is served under a public-looking name (`*.convex.cloud`, mapped to 127.0.0.1 by the test browser's
 * resolver rules), so it is not "on loopback" for the policy.
 */
import type { Page } from "@playwright/test";
import { WebSocketServer } from "ws";
import { expect, test } from "../fixtures.ts";
import { DISCOVERY_PATH, listen, startCountingIssuer, type CountingIssuer, type Listening } from "../support/counting-issuer.ts";
import { viewOf, waitForPanel, type PanelView } from "../panel/panel-view.ts";

let issuer: CountingIssuer;
let site: Listening;
let wss: WebSocketServer;
let token = "";

/** The dev backend's NoAuthProvider text (reference §4.1), with the page's chosen providers. */
function noAuthProviderText(base: string): string {
  return (
    "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: " +
    `[OIDC(domain=${base}, app_id=convex), CustomJWT(issuer=${base}/cj, jwks=${base}/cj-jwks, app_id=none)]`
  );
}

test.beforeAll(async () => {
  issuer = await startCountingIssuer();
  token = await issuer.token("user_hostile");
  site = await listen((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><title>hostile</title><script>
      const ws = new WebSocket('ws://' + location.host + '/api/1.48.0/sync');
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'Connect', sessionId: 's', connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
        ws.send(JSON.stringify({ type: 'Authenticate', tokenType: 'User', value: ${JSON.stringify(token)}, baseVersion: 0 }));
      };
    </script>`);
  });
  wss = new WebSocketServer({ server: site.server });
  wss.on("connection", (ws) =>
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { type?: string };
      if (msg.type !== "Authenticate") return;
      ws.send(JSON.stringify({ type: "AuthError", error: noAuthProviderText(issuer.base), baseVersion: 0, authUpdateAttempted: true }));
      ws.close();
    }),
  );
});

test.afterAll(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
  await site?.close();
  await issuer?.close();
});

/** A unique public-looking page URL per test (the fixtures find the tab by URL). */
const pageUrl = (name: string) => `http://${name}.convex.cloud:${site.port}/`;

interface Waiting {
  url: string;
  origin: string;
  text: string;
}
const WAITING = `Array.from(document.querySelectorAll('[data-testid="not-fetched"]')).map((e) => ({ url: e.getAttribute('data-url'), origin: e.getAttribute('data-origin'), text: e.textContent }))`;

async function waitForConsentList(view: PanelView): Promise<Waiting[]> {
  await waitForPanel(view, (s) => s.predicted === "unknown" && s.providersSource === "learned", "an unknown prediction against the learned providers");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const w = await view.eval<Waiting[]>(WAITING);
    if (w.length > 0) return w;
    if (Date.now() > deadline) throw new Error("no URL awaiting consent was listed");
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function expectNothingFetched(tab: { waitForTimeout(ms: number): Promise<void> } | null): Promise<void> {
  // Give a silent fetch every chance to happen (the prediction runs within ms of the AuthError).
  if (tab) await tab.waitForTimeout(1_000);
  else await new Promise((r) => setTimeout(r, 1_000));
  expect(issuer.hits).toEqual([]);
}

function expectDiscoveryAwaitingConsent(waiting: Waiting[]): void {
  expect(waiting.map((w) => w.url)).toEqual([`${issuer.base}${DISCOVERY_PATH}`]);
  expect(waiting[0]!.origin).toBe(issuer.base);
  expect(waiting[0]!.text).toContain(`Not fetched: ${issuer.base}${DISCOVERY_PATH}`);
  expect(waiting[0]!.text).toContain("learned from the page");
  expect(waiting[0]!.text).toContain("click Fetch keys to allow");
}

test("real DevTools panel: a page-chosen loopback issuer is listed, not fetched", async ({ page, openPanel }) => {
  issuer.hits.length = 0;
  await page.goto(pageUrl("hostile-devtools"));
  const view = viewOf(await openPanel(page));
  expectDiscoveryAwaitingConsent(await waitForConsentList(view));
  await expectNothingFetched(null);
});

// The click half (exactly discovery then jwks_uri after Fetch keys) is not run: in headless Chromium
// permissions.contains({origins:["http://127.0.0.1/*"]}) is false although the content scripts match http://*/*,
// so approveFetch's permissions.request opens a prompt that nothing answers and the click never completes.
// The request-level half is covered by test/unit/keys/policy.test.ts (real server, zero hits before approval,
// exactly discovery + jwks after).
