/**
 * Issue 6 in the REAL DevTools panel: the headline is what the server did (observed) with the prediction beside
 * it; every recommended provider setup, paired with the token that vendor mints, shows zero warnings and
 * errors, before and after its config is pasted; a pasted config that differs from the deployment's gives
 * `prediction-mismatch`; at a 500 px DevTools width the headline, the cause and its fix show without scrolling
 * (screenshot: docs/panel-dock-500.png, refreshed with UPDATE_DOCS=1 like theme.spec.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "../fixtures.ts";
import { ChildSession } from "../extension/support/cdp-child.ts";
import { startHarness, type Harness } from "../../harness/deployment.ts";
import type { Scenario } from "../../harness/scenarios.ts";
import { setupConfig, SETUP_SCENARIOS } from "../../harness/setups.ts";
import { pasteConfig, pasteConfigWithEnv, viewOf, waitForPanel, type PanelView, type Snapshot } from "./panel-view.ts";

const DOCS = process.env.UPDATE_DOCS ? resolve(import.meta.dirname, "../../../docs") : resolve(import.meta.dirname, "../../../test-results/docs");

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness({ hostNames: true });
  mkdirSync(DOCS, { recursive: true });
});
test.afterAll(async () => {
  await harness?.close();
});

const loud = (s: Snapshot) => s.findings.filter((f) => f.severity !== "info").map((f) => `${f.severity} ${f.id}: ${f.message}`);
const accepted = (s: Snapshot) => s.verdict === "accepted" && s.verdictSource === "observed";

/** The config a user of each setup pastes: the vendor's file and env values, or (WorkOS) the provider pair as JSON. */
function userConfig(scenario: Scenario): { text: string; env: Record<string, string> } {
  if (scenario === "good") {
    const text = readFileSync(resolve(import.meta.dirname, "../../fixtures/config/clerk.auth.config.ts"), "utf8");
    return { text, env: { CLERK_JWT_ISSUER_DOMAIN: harness.issuers.oidc.issuer } };
  }
  if (scenario === "good-workos") {
    // AuthKit's helper names https://api.workos.com/sso/jwks/<clientId> without the harness's TLS port: paste
    // the two providers it expands to, as the WorkOS guide writes them by hand.
    const providers = harness.providers.filter((p) => p.type === "customJwt");
    return { text: JSON.stringify({ providers }, null, 2), env: {} };
  }
  return setupConfig(scenario as (typeof SETUP_SCENARIOS)[number], harness.issuers);
}

async function openScenario(page: import("@playwright/test").Page, openPanel: (p: typeof page) => Promise<import("../fixtures.ts").PanelHandle>, scenario: Scenario): Promise<PanelView> {
  await page.goto(harness.demoUrl(scenario));
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "authenticated", null, { timeout: 20_000 });
  return viewOf(await openPanel(page));
}

test("no config pasted, token confirmed by the server: the headline is accepted (observed), the prediction unknown beside it", async ({ page, openPanel }) => {
  const view = await openScenario(page, openPanel, "good");
  const s = await waitForPanel(view, (x) => accepted(x) && x.predicted === "unknown" && x.findings.some((f) => f.id === "token-accepted"), "accepted/observed");
  expect(s.providersSource).not.toBe("config");
  expect(loud(s)).toEqual([]);
  // The page sends the token on its socket and over HTTP (whoami): the latest of the two is inspected.
  expect(await view.eval<string>(`document.querySelector('[data-testid="verdict-source"]').textContent`)).toMatch(/identity advanced on the sync socket|HTTP 2xx over HTTP/);
  // The raw token is behind Reveal: not even its header part is on screen.
  const raws = harness.connections.flatMap((c) => c.frames).map((f) => f.data as { type?: string; value?: string }).filter((d) => d.type === "Authenticate" && d.value).map((d) => d.value!);
  expect(raws.length).toBeGreaterThan(0);
  const text = await view.eval<string>("document.body.innerText");
  for (const raw of raws) expect(text).not.toContain(raw.split(".")[1]!.slice(0, 40));
  expect(text).toMatch(/Raw token hidden \(\d+ characters\)/);
});

for (const scenario of ["good", "good-workos", ...SETUP_SCENARIOS] as Scenario[]) {
  test(`recommended setup ${scenario}: zero warnings and errors, before and after pasting its config`, async ({ page, openPanel }) => {
    const view = await openScenario(page, openPanel, scenario);
    const before = await waitForPanel(view, (x) => accepted(x) && x.findings.some((f) => f.id === "token-accepted"), `${scenario}: accepted/observed`);
    expect(loud(before), "before the config").toEqual([]);

    const { text, env } = userConfig(scenario);
    await pasteConfigWithEnv(view, text, env);
    const after = await waitForPanel(
      view,
      (x) => x.providersSource === "config" && x.predictionState === "done" && accepted(x) && x.predicted === "accepted",
      `${scenario}: accepted against the pasted config`,
      20_000,
    );
    expect(loud(after), "with the config").toEqual([]);
    expect(after.findings.map((f) => f.id)).toContain("identity-preview");
  });
}

test("a pasted config that differs from the deployment's: prediction-mismatch, the headline stays what the server did", async ({ page, openPanel }) => {
  const view = await openScenario(page, openPanel, "good");
  await waitForPanel(view, accepted, "accepted/observed");
  // The user's file says applicationID "my-app"; the deployment (and the token) use "convex".
  await pasteConfig(view, JSON.stringify({ providers: [{ domain: harness.issuers.oidc.issuer, applicationID: "my-app" }] }));
  const s = await waitForPanel(view, (x) => x.providersSource === "config" && x.predicted === "rejected" && x.findings.some((f) => f.id === "prediction-mismatch"), "prediction-mismatch");
  expect([s.verdict, s.verdictSource]).toEqual(["accepted", "observed"]);
  const m = s.findings.find((f) => f.id === "prediction-mismatch")!;
  expect(m.severity).toBe("warning");
  expect(m.message).toMatch(/^The server accepted this token, but checked against the pasted auth\.config it is predicted rejected \(NoAuthProvider/);
});

test("clerk-no-template at a 500 px DevTools width: headline, cause and fix visible without scrolling", async ({ page, openPanel, browserSession }) => {
  await page.goto(harness.demoUrl("clerk-no-template"));
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "auth-failed", null, { timeout: 20_000 });
  const panel = await openPanel(page);
  const view = viewOf(panel);
  const dt = await ChildSession.attach(browserSession, panel.devtoolsTargetId);
  try {
    await dt.evaluate(`(async () => { const UI = await import('./ui/legacy/legacy.js'); UI.DockController.DockController.instance().setDockSide('undocked'); })()`).catch(() => {});
    await dt.send("Emulation.setDeviceMetricsOverride", { width: 500, height: 800, deviceScaleFactor: 1, mobile: false });
    const s = await waitForPanel(
      view,
      (x) => x.verdict === "rejected" && x.verdictSource === "observed" && x.findings.some((f) => f.id === "client-gave-up") && x.findings.some((f) => f.id === "hint-clerk-template"),
      "the rejected scenario's findings",
      20_000,
    );
    // Cause first: aud-missing and the Clerk hint, then the consequences, each naming the cause.
    const ids = s.findings.map((f) => f.id);
    expect(ids.slice(0, 2)).toEqual(["aud-missing", "hint-clerk-template"]);
    expect(ids.indexOf("token-rejected")).toBeGreaterThan(1);
    for (const id of ["token-rejected", "client-gave-up"]) expect(s.findings.find((f) => f.id === id)!.message).toContain("Consequence of aud-missing");
    // Both routes Clerk offers are in the hint's text.
    const hint = s.findings.find((f) => f.id === "hint-clerk-template")!;
    expect(`${hint.message} ${hint.fix}`).toMatch(/Convex integration/);
    expect(`${hint.message} ${hint.fix}`).toMatch(/JWT template named exactly `convex`/);

    await new Promise((r) => setTimeout(r, 300));
    const layout = await view.eval<{ width: number; height: number; scrolled: number; parts: Record<string, { top: number; bottom: number; visible: boolean } | null> }>(`(() => {
      // Visible = on screen AND not clipped by a scroll container: the points near its top and bottom hit it.
      const box = (el) => {
        if (!el) return null;
        const r = el.getBoundingClientRect();
        const hit = (y) => { const at = document.elementFromPoint(r.left + Math.min(20, r.width / 2), y); return !!at && (el === at || el.contains(at)); };
        return { top: r.top, bottom: r.bottom, visible: hit(r.top + 2) && hit(r.bottom - 2) };
      };
      const finding = (id) => document.querySelector('[data-testid="finding"][data-id="' + id + '"]');
      return {
        width: innerWidth, height: innerHeight, scrolled: document.querySelector('.right').scrollTop + document.scrollingElement.scrollTop,
        parts: {
          headline: box(document.querySelector('[data-testid="verdict"] .headline')),
          cause: box(finding('aud-missing') && finding('aud-missing').querySelector('.finding-head')),
          causeFix: box(finding('aud-missing') && finding('aud-missing').querySelector('.fix')),
          hintFix: box(finding('hint-clerk-template') && finding('hint-clerk-template').querySelector('.fix')),
        },
      };
    })()`);
    expect(layout.width).toBeGreaterThan(440);
    expect(layout.width).toBeLessThanOrEqual(500);
    expect(layout.scrolled).toBe(0);
    for (const [name, r] of Object.entries(layout.parts)) {
      expect(r, name).not.toBeNull();
      expect(r!.top, name).toBeGreaterThanOrEqual(0);
      expect(r!.bottom, `${name} bottom ${r!.bottom} within ${layout.height}`).toBeLessThanOrEqual(layout.height);
      expect(r!.visible, `${name} is not covered or clipped`).toBe(true);
    }
    const shot = await dt.send<{ data: string }>("Page.captureScreenshot", { format: "png" });
    writeFileSync(resolve(DOCS, "panel-dock-500.png"), Buffer.from(shot.data, "base64"));
  } finally {
    await dt.detach();
  }
});
