/**
 * What the panel must show for the harness's session-finding scenarios (issue 6): one list, read by the live
 * panel spec (session-findings.spec.ts) and by the HAR fixture test (test/unit/cli/har-fixtures.test.ts).
 */
import type { Scenario } from "../../harness/scenarios.ts";

export interface SessionExpectation {
  scenario: Extract<Scenario, "fetch-token-hangs" | "stale-token-on-reconnect" | "sign-out-after-sign-in">;
  /** Finding IDs that must all be listed, with their severity. */
  findings: { id: string; severity: "error" | "warning" | "info" }[];
  /** Finding IDs that must not be listed. */
  absent: string[];
  /** No finding of severity error at all. */
  noErrors: boolean;
}

export const SESSION_EXPECTATIONS: SessionExpectation[] = [
  {
    // setAuth's fetchToken never resolves: the client keeps its socket paused and sends nothing after Connect.
    scenario: "fetch-token-hangs",
    findings: [{ id: "token-fetch-stalled", severity: "warning" }],
    absent: ["no-token-sent"],
    noErrors: true,
  },
  {
    // The forced refresh after the rejection produced a new token: no same-token-on-refresh, no give-up.
    scenario: "stale-token-on-reconnect",
    findings: [
      { id: "stale-token-on-reconnect", severity: "error" },
      { id: "token-rejected", severity: "error" },
    ],
    absent: ["same-token-on-refresh", "client-gave-up"],
    noErrors: false,
  },
  {
    scenario: "sign-out-after-sign-in",
    findings: [
      { id: "auth-cleared", severity: "info" },
      { id: "token-accepted", severity: "info" },
    ],
    absent: ["same-token-on-refresh"],
    noErrors: true,
  },
];

export function sessionExpectation(scenario: SessionExpectation["scenario"]): SessionExpectation {
  return SESSION_EXPECTATIONS.find((e) => e.scenario === scenario)!;
}
