/**
 * What the panel must show for each harness demo scenario (reference facts: RULES.md, convex-protocol.md §4).
 * Shared by the real-DevTools-panel and the panel-in-a-tab specs.
 */
import type { Harness } from "../../harness/deployment.ts";
import type { Snapshot } from "./panel-view.ts";

export interface ScenarioExpectation {
  scenario: "good" | "clerk-no-template" | "workos-no-aud" | "wrong-issuer" | "expired-same-token" | "queries-before-auth" | "admin-key" | "http-401";
  /**
   * Paste the deployment's auth config into the Config editor: needed where no NoAuthProvider message ever
   * reveals the provider list (the token matched a provider), so the panel cannot learn it.
   */
  pasteConfig: boolean;
  /** Some connection must satisfy this (state / auth as the session model reports it). */
  connection: ((c: Snapshot["connections"][number]) => boolean) | null;
  connectionText: string;
  /** The inspected (latest) token's verdict; null = no user token in this scenario. */
  verdict: "accepted" | "rejected" | "unknown" | null;
  expectedCode?: string;
  /** Finding IDs that must all be listed. */
  findings: string[];
  /** Finding IDs that must not be listed. */
  absent?: string[];
}

export const EXPECTATIONS: ScenarioExpectation[] = [
  {
    scenario: "good",
    pasteConfig: true,
    connection: (c) => c.auth === "accepted" && c.state === "open" && c.identity.includes("|user_2harnessGood"),
    connectionText: "open, auth accepted as <oidc issuer>|user_2harnessGood",
    verdict: "accepted",
    findings: ["token-accepted", "identity-preview"],
    absent: ["token-rejected", "admin-key-exposed", "queries-before-auth"],
  },
  {
    scenario: "clerk-no-template",
    pasteConfig: false,
    connection: (c) => c.auth === "rejected" && c.state === "closed",
    connectionText: "closed after AuthError (auth rejected)",
    verdict: "rejected",
    expectedCode: "NoAuthProvider",
    // No hint-clerk-template: the local issuer is not a Clerk domain, so nothing identifies the provider.
    findings: ["token-rejected", "aud-missing", "client-gave-up"],
  },
  {
    scenario: "workos-no-aud",
    pasteConfig: false,
    connection: (c) => c.auth === "rejected" && c.state === "closed",
    connectionText: "closed after AuthError (auth rejected)",
    verdict: "rejected",
    expectedCode: "NoAuthProvider",
    // No hint-workos-aud: the local issuer is not api.workos.com.
    findings: ["token-rejected", "aud-missing"],
  },
  {
    scenario: "wrong-issuer",
    pasteConfig: false,
    connection: (c) => c.auth === "rejected" && c.state === "closed",
    connectionText: "closed after AuthError (auth rejected)",
    verdict: "rejected",
    expectedCode: "NoAuthProvider",
    findings: ["token-rejected", "iss-mismatch"],
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
    findings: ["http-auth-rejected", "aud-missing"],
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
  if (e.verdict === "rejected" && s.observedError === null) problems.push("the inspected token's backend error is not observed yet");
  if (e.expectedCode && s.expectedCode !== e.expectedCode) problems.push(`expected error ${s.expectedCode}, want ${e.expectedCode}`);
  const have = new Set(s.findings.map((f) => f.id));
  for (const id of e.findings) if (!have.has(id)) problems.push(`finding ${id} missing`);
  for (const id of e.absent ?? []) if (have.has(id)) problems.push(`finding ${id} should not be there`);
  return problems;
}
