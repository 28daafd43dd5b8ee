import { describe, expect, it } from "vitest";
import { CATALOGUE, finding } from "../../../src/core/rules/catalogue";
import type { FindingId } from "../../../src/core/rules/types";

// Every finding ID (docs/findings.md).
const IDS: FindingId[] = [
  "not-a-jwt", "jwe-token", "iss-missing", "no-providers", "iss-mismatch", "aud-missing", "aud-mismatch",
  "oidc-extra-audience", "alg-unsupported", "hs-symmetric", "kid-missing", "kid-not-in-jwks", "signature-invalid",
  "typ-at-jwt", "oidc-claim-type", "token-expired", "token-not-yet-valid", "sub-missing", "exp-missing", "iat-missing",
  "lifetime-too-short", "discovery-failed", "discovery-issuer-mismatch", "jwks-unreachable", "identity-preview",
  "check-incomplete", "config-env-unresolved", "config-application-id-casing", "config-domain-and-issuer",
  "config-bad-type", "config-bad-algorithm", "config-invalid-url", "config-shared-issuer-no-aud",
  "config-no-application-id", "config-unreadable", "hint-clerk-template", "hint-workos-aud", "hint-auth0-id-token",
  "hint-better-auth", "hint-convex-auth", "admin-key-exposed", "no-token-sent", "auth-cleared", "queries-before-auth",
  "token-accepted", "token-rejected", "identity-expired", "same-token-on-refresh", "refresh-storm", "client-gave-up",
  "refresh-schedule", "clock-skew", "http-auth-missing", "http-auth-rejected", "identity-mismatch", "bad-auth-scheme",
  "socket-missed", "events-dropped",
  "token-fetch-stalled", "stale-token-on-reconnect", "prediction-mismatch",
];

describe("CATALOGUE", () => {
  it("covers every finding ID with a severity, title, fix and docs.convex.dev docs", () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...IDS].sort());
    for (const id of IDS) {
      const e = CATALOGUE[id];
      expect(["error", "warning", "info"]).toContain(e.severity);
      expect(e.title.length).toBeGreaterThan(3);
      expect(e.fix.length).toBeGreaterThan(20);
      if (e.docs !== undefined) expect(e.docs).toMatch(/^https:\/\/docs\.convex\.dev\//);
    }
  });
  it("severities are the documented defaults", () => {
    expect(CATALOGUE["identity-preview"].severity).toBe("info");
    expect(CATALOGUE["config-no-application-id"].severity).toBe("warning");
    expect(CATALOGUE["lifetime-too-short"].severity).toBe("warning");
    expect(CATALOGUE["admin-key-exposed"].severity).toBe("error");
    expect(CATALOGUE["auth-cleared"].severity).toBe("info");
  });
  it("finding() fills severity, fix and docs from the registry, with overrides", () => {
    const f = finding("iat-missing", "no iat", { claim: "iat" });
    expect(f).toEqual({ id: "iat-missing", severity: "error", message: "no iat", fix: CATALOGUE["iat-missing"].fix, docs: CATALOGUE["iat-missing"].docs, evidence: { claim: "iat" } });
    expect(finding("iat-missing", "no iat", undefined, undefined, "warning").severity).toBe("warning");
    expect(finding("iss-mismatch", "m", undefined, "custom fix").fix).toBe("custom fix");
    expect("evidence" in finding("not-a-jwt", "m")).toBe(false);
  });
});
