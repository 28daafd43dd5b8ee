/**
 * What the panel must show for each harness demo scenario (the findings in docs/findings.md; the client behaviour
 * the harness README describes), in any browser: ONE list drives Chromium (test/e2e/panel/scenarios.spec.ts, the
 * real DevTools panel and the panel in a tab; theme and import specs) and Firefox (test/firefox/scenarios.test.ts,
 * the real toolbox and the panel in a tab). Everything here reads the panel's DOM through a PanelView, so no
 * browser driver is assumed. They assume `startHarness({ hostNames: true })`: issuers on *.clerk.accounts.dev and
 * api.workos.com, so the provider hints show.
 */
import type { Harness } from "../harness/deployment.ts";
import { CLERK_HOST } from "../harness/host-names.ts";
import type { Scenario } from "../harness/scenarios.ts";
import { pasteConfig, waitForPanel, type PanelView, type Snapshot } from "../e2e/panel/panel-view.ts";

export interface ScenarioExpectation {
  scenario: Extract<Scenario, "good" | "clerk-no-template" | "workos-no-aud" | "wrong-issuer" | "expired-same-token" | "identity-expired" | "queries-before-auth" | "admin-key" | "http-401">;
  /**
   * Paste the deployment's auth config into the Config editor: needed where no NoAuthProvider message ever
   * reveals the provider list (the token matched a provider), so the panel cannot learn it.
   */
  pasteConfig: boolean;
  /** Some connection must satisfy this (state / auth as the session model reports it). */
  connection: ((c: Snapshot["connections"][number]) => boolean) | null;
  connectionText: string;
  /** The inspected (latest) token's headline verdict; null = no user token in this scenario. */
  verdict: "accepted" | "rejected" | "unknown" | null;
  /** The headline's source (default: observed whenever the scenario's token reached the server). */
  verdictSource?: "observed" | "predicted";
  /** The prediction beside the headline, when it must differ from the default (= `verdict`). */
  predicted?: "accepted" | "rejected" | "unknown";
  expectedCode?: string;
  /**
   * For a rejected verdict: the backend rejected this token's Authenticate (or HTTP call), so the panel shows
   * the error it observed next to the prediction (default true). False when the token was accepted and only
   * later failed (its identity expired): the prediction is for now, and no rejection text exists to compare.
   */
  observedRejection?: boolean;
  /** Finding IDs that must all be listed. */
  findings: string[];
  /** Finding IDs that must not be listed. */
  absent?: string[];
}

/** A token the deployment refused with NoAuthProvider in an AuthError, which closed the socket. */
const REJECTED_NO_PROVIDER = {
  pasteConfig: false,
  connection: (c: Snapshot["connections"][number]) => c.auth === "rejected" && c.state === "closed",
  connectionText: "closed after AuthError (auth rejected)",
  verdict: "rejected",
  expectedCode: "NoAuthProvider",
} satisfies Partial<ScenarioExpectation>;

export const EXPECTATIONS: ScenarioExpectation[] = [
  {
    scenario: "good",
    pasteConfig: true,
    // The panel elides a long `iss|sub`; the snapshot reads the full value.
    connection: (c) => c.auth === "accepted" && c.state === "open" && c.identity.startsWith(`https://${CLERK_HOST}:`) && c.identity.includes("|user_2harness"),
    connectionText: "open, auth accepted as https://<clerk host>:<port>|user_2harness…",
    verdict: "accepted",
    findings: ["token-accepted", "identity-preview"],
    absent: ["token-rejected", "admin-key-exposed", "queries-before-auth"],
  },
  {
    scenario: "clerk-no-template",
    ...REJECTED_NO_PROVIDER,
    // The harness runs with host names: the issuer is a *.clerk.accounts.dev Frontend API and the token is a
    // Clerk session token (azp, sid, no aud), so the panel names the Clerk fix.
    findings: ["token-rejected", "aud-missing", "client-gave-up", "hint-clerk-template"],
  },
  {
    scenario: "workos-no-aud",
    ...REJECTED_NO_PROVIDER,
    // iss is api.workos.com (shared issuer, no trailing slash) and there is no aud.
    findings: ["token-rejected", "aud-missing", "hint-workos-aud"],
  },
  {
    scenario: "wrong-issuer",
    ...REJECTED_NO_PROVIDER,
    findings: ["token-rejected", "iss-mismatch"],
    // Another Clerk instance's token carries aud "convex": it is not a template problem.
    absent: ["hint-clerk-template"],
  },
  {
    scenario: "expired-same-token",
    pasteConfig: true,
    connection: (c) => c.auth === "rejected" && c.state === "closed",
    connectionText: "closed after AuthError (auth rejected)",
    verdict: "rejected",
    findings: ["token-rejected", "token-expired", "same-token-on-refresh"],
    absent: ["token-accepted"],
  },
  {
    scenario: "identity-expired",
    pasteConfig: true,
    // Accepted, then the server drops the identity once exp passes (AuthError "Convex token identity expired",
    // authUpdateAttempted false) and closes; the demo IdP hands back the same token, so the client signs out.
    connection: (c) => c.auth === "expired" && c.state === "closed",
    connectionText: "closed with auth expired (AuthError \"Convex token identity expired\")",
    // The server accepted the token when it was sent (observed), and the prediction for now — the token has
    // expired since — stands beside it; a time edge lies between the two, so that is no mismatch.
    verdict: "accepted",
    verdictSource: "observed",
    predicted: "rejected",
    expectedCode: "Unauthenticated",
    observedRejection: false,
    findings: ["token-accepted", "identity-expired", "token-expired", "same-token-on-refresh"],
    absent: ["token-rejected", "prediction-mismatch"],
  },
  {
    scenario: "queries-before-auth",
    pasteConfig: true,
    connection: (c) => c.auth === "accepted" && c.state === "open",
    connectionText: "open, auth accepted",
    verdict: "accepted",
    findings: ["queries-before-auth", "token-accepted"],
  },
  {
    scenario: "admin-key",
    pasteConfig: false,
    connection: (c) => c.auth === "admin",
    connectionText: "auth admin",
    verdict: null,
    findings: ["admin-key-exposed"],
  },
  {
    scenario: "http-401",
    pasteConfig: false,
    connection: null,
    connectionText: "(HTTP only)",
    verdict: "rejected",
    expectedCode: "NoAuthProvider",
    // The same Clerk session token as clerk-no-template, sent over HTTP.
    findings: ["http-auth-rejected", "aud-missing", "hint-clerk-template"],
  },
];

/** The deployment's provider list as an auth config JSON, exactly as the harness stores it. */
export function configJson(h: Harness): string {
  const providers = h.providers.map((p) =>
    Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null && v !== undefined)),
  );
  return JSON.stringify({ providers }, null, 2);
}

/** One readable line per unmet expectation (empty when the snapshot satisfies everything). */
export function unmet(e: ScenarioExpectation, s: Snapshot): string[] {
  const problems: string[] = [];
  if (e.connection && !s.connections.some(e.connection)) problems.push(`no connection is ${e.connectionText}`);
  if (e.verdict !== null && s.verdict !== e.verdict) problems.push(`verdict is ${s.verdict}, expected ${e.verdict}`);
  if (e.verdict !== null && s.verdictSource !== (e.verdictSource ?? "observed")) problems.push(`verdict source is ${s.verdictSource}, expected ${e.verdictSource ?? "observed"}`);
  if (e.predicted && s.predicted !== e.predicted) problems.push(`prediction is ${s.predicted}, expected ${e.predicted}`);
  if (e.verdict === "rejected" && e.observedRejection !== false && s.observedError === null) problems.push("the inspected token's backend error is not observed yet");
  if (e.expectedCode && s.expectedCode !== e.expectedCode) problems.push(`expected error ${s.expectedCode}, want ${e.expectedCode}`);
  const have = new Set(s.findings.map((f) => f.id));
  for (const id of e.findings) if (!have.has(id)) problems.push(`finding ${id} missing`);
  for (const id of e.absent ?? []) if (have.has(id)) problems.push(`finding ${id} should not be there`);
  // The harness backend and the inspector must agree on every scenario.
  if (!e.findings.includes("prediction-mismatch") && have.has("prediction-mismatch")) problems.push("finding prediction-mismatch should not be there");
  return problems;
}

/** Findings the catalogue rates as errors: wherever one is listed, the panel must show it as an error. */
const ERROR_FINDINGS = ["token-rejected", "admin-key-exposed", "http-auth-rejected", "iss-mismatch", "aud-missing"];

/**
 * Drives the panel as a user would for scenario `e` (pastes the deployment's config where the panel cannot learn
 * the providers) and waits until it shows everything `e` expects; throws with the reasons otherwise. Beyond
 * `unmet`: catalogue severities, the time-edge note exactly when the observed answer and the prediction differ
 * for a reason, and — two independent implementations agreeing — the panel's predicted text equal to the
 * harness backend's actual error text.
 */
export async function verifyScenario(view: PanelView, e: ScenarioExpectation, harness: Harness): Promise<Snapshot> {
  if (e.pasteConfig) {
    // The config editor needs the deployment to be seen first.
    await waitForPanel(view, (s) => s.connections.length > 0, "a connection to appear");
    await pasteConfig(view, configJson(harness));
    await waitForPanel(view, (s) => s.providersSource === "config", "the pasted config to be used");
  }
  const s = await waitForPanel(view, (snap) => unmet(e, snap).length === 0, `scenario ${e.scenario}: ${e.findings.join(", ")}`, 20_000);
  const problems: string[] = [];
  for (const id of ERROR_FINDINGS) {
    const f = s.findings.find((x) => x.id === id);
    if (f && f.severity !== "error") problems.push(`finding ${id} has severity ${f.severity}, expected error`);
  }
  if (e.verdict === null && s.verdict !== null) problems.push(`verdict is ${s.verdict}, expected no headline verdict`);
  const timeEdgeNote = await view.eval<boolean>(`!!document.querySelector('[data-testid="verdict-time-edge"]')`);
  const wantNote = e.predicted !== undefined && e.predicted !== e.verdict;
  if (timeEdgeNote !== wantNote) problems.push(`time-edge note ${timeEdgeNote ? "shown" : "missing"}, expected ${wantNote ? "shown" : "none"}`);
  if (e.verdict === "rejected" && e.observedRejection !== false && s.expectedMessage !== s.observedError) {
    problems.push(`predicted text ${JSON.stringify(s.expectedMessage)} differs from the backend's ${JSON.stringify(s.observedError)}`);
  }
  if (problems.length > 0) throw new Error(`scenario ${e.scenario}: ${problems.join("; ")}`);
  return s;
}
