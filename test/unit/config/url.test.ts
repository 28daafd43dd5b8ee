import { describe, expect, it } from "vitest";
import { endsWithTld, parseProviderUrl } from "../../../src/core/config/url";
import { issuerMatches as matchesProvider, normalizeTokenIssuer } from "../../../src/core/verdict/match";
import type { OidcProvider } from "../../../src/core/config/types";

// Matching lives in core/verdict/match.ts; these pin it to stored provider URLs as this module produces them.
const issuerMatches = (stored: string, iss: string) =>
  matchesProvider({ type: "oidc", domain: stored, applicationID: "x", index: 0 } satisfies OidcProvider, iss);

describe("provider URL rules and issuer matching", () => {
  it("stores the value with https:// prepended only when it has no \\w+:// scheme", () => {
    expect(parseProviderUrl("auth.example.com")).toEqual({ ok: true, stored: "https://auth.example.com", hadScheme: false });
    expect(parseProviderUrl("https://Auth.Example.com/")).toEqual({ ok: true, stored: "https://Auth.Example.com/", hadScheme: true });
    expect(parseProviderUrl("http://localhost:3211")).toMatchObject({ ok: true, stored: "http://localhost:3211" });
    expect(parseProviderUrl("HTTPS://a.example.com")).toMatchObject({ ok: false, reason: "scheme" });
  });

  it("TLD check uses the public suffix list: real TLDs and localhost only", () => {
    expect(endsWithTld("a.example.dev")).toBe(true);
    expect(endsWithTld("tenant.auth0.co.uk")).toBe(true);
    expect(endsWithTld("localhost")).toBe(true);
    expect(endsWithTld("foo.notatld")).toBe(false);
    expect(endsWithTld("127.0.0.1")).toBe(false);
    expect(endsWithTld("example.com.")).toBe(false);
  });

  it("issuer matching: scheme prepended to iss, trailing slashes ignored, nothing else", () => {
    expect(issuerMatches("https://a.example.com", "https://a.example.com/")).toBe(true);
    expect(issuerMatches("https://a.example.com//", "a.example.com")).toBe(true);
    expect(issuerMatches("https://example.com", "https://Example.com")).toBe(false);
    expect(issuerMatches("https://x.com", "https://x.com:443")).toBe(false);
    expect(issuerMatches("http://127.0.0.1:3211", "http://127.0.0.1:3211")).toBe(true);
    expect(normalizeTokenIssuer("ftp://x")).toBe("https://ftp://x");
  });
});
