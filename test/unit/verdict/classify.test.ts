import { describe, expect, it } from "vitest";
import { classifyBackendError } from "../../../src/core/verdict/classify";

type Case = [text: string, code: string, firstId: string | null, era: "current" | "older" | "unknown"];

// §4.1 (current), §4.3, §4.4 (older and the 2025-07-09…19 interim texts), pinned literally.
const CASES: Case[] = [
  ["Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.", "InvalidAuthHeader", "not-a-jwt", "current"],
  ["Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers.", "InvalidAuthHeader", "iss-missing", "current"],
  ["No auth provider found matching the given token", "NoAuthProvider", "iss-mismatch", "unknown"],
  ["No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.", "NoAuthProvider", "no-providers", "current"],
  ["No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=https://a.example.com, app_id=convex)]", "NoAuthProvider", "iss-mismatch", "current"],
  ["Auth provider discovery of https://a.example.com failed: 404 Not Found <html></html>", "AuthProviderDiscoveryFailed", "discovery-failed", "current"],
  ["Auth provider discovery of https://a.example.com/ failed", "AuthProviderDiscoveryFailed", "discovery-failed", "current"],
  ["Could not parse as OIDC ID token. Token might not be an OIDC-compliant JWT.", "InvalidAuthHeader", "oidc-claim-type", "current"],
  ["Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.", "Unauthenticated", "signature-invalid", "current"],
  ["Your request couldn't be completed. Try again later.", "InternalServerError", null, "unknown"],
  ["Invalid JWKS data URL. Check that the data URL is properly formatted and contains valid base64-encoded JSON.", "InvalidAuthHeader", "jwks-unreachable", "current"],
  ["Could not fetch JWKS from URL 'https://j.example.com/jwks': error sending request. Check that the URL is correct and accessible.", "InvalidAuthHeader", "jwks-unreachable", "current"],
  ["Could not fetch JWKS from URL 'https://j.example.com/jwks': HTTP 404 Not Found. Check that the URL is correct and accessible.", "InvalidAuthHeader", "jwks-unreachable", "current"],
  ["Invalid Content-Type 'text/html' when fetching JWKS from 'https://j.example.com/jwks'. Expected 'application/json' or 'application/jwk-set+json'.", "InvalidAuthHeader", "jwks-unreachable", "current"],
  ["Invalid JWKS response body from 'https://j.example.com/jwks'. The response is not valid JSON or doesn't match the expected JWKS format.", "InvalidAuthHeader", "jwks-unreachable", "current"],
  ["Could not decode token. The JWT's 'kid' (key ID) header is 'abc', does this key match any key in the provider's JWKS?", "InvalidAuthHeader", "kid-not-in-jwks", "current"],
  ["Could not decode token. The JWT's 'kid' (key ID) header doesn't match any key in the provider's JWKS, or the JWT signature is invalid.", "InvalidAuthHeader", "kid-not-in-jwks", "current"],
  ["Could not decode token. JWT may be missing a 'kid' (key ID) header.", "InvalidAuthHeader", "kid-missing", "current"],
  ["Invalid issuer: https://a.example.com != https://b.example.com", "InvalidAuthHeader", "iss-mismatch", "current"],
  ["Missing audience claim ('aud') in JWT payload. The JWT must include an 'aud' claim that matches your configured application ID.", "InvalidAuthHeader", "aud-missing", "current"],
  ['Invalid audience: app not in ["a", "b"]', "InvalidAuthHeader", "aud-mismatch", "current"],
  ["Could not validate token: Token expired 8 seconds ago", "InvalidAuthHeader", "token-expired", "current"],
  ["Could not validate token: Token will be valid in 6 seconds", "InvalidAuthHeader", "token-not-yet-valid", "current"],
  ["Could not verify token claim. Check that the JWT contains valid claims and matches your auth provider configuration.", "InvalidAuthHeader", "sub-missing", "current"],
  ["Convex token identity expired", "TokenExpired", "identity-expired", "unknown"],
  ["Invalid admin key", "InvalidAdminKey", "bad-auth-scheme", "unknown"],
  ["The provided admin key was invalid for this instance", "BadAdminKey", "bad-auth-scheme", "unknown"],
  // §4.4 older
  ["Could not parse JWT payload", "InvalidAuthHeader", "not-a-jwt", "older"],
  ["Missing issuer in JWT payload", "InvalidAuthHeader", "iss-missing", "older"],
  ["Missing audience in JWT payload", "InvalidAuthHeader", "aud-missing", "older"],
  ["Could not parse as id token", "InvalidAuthHeader", "oidc-claim-type", "older"],
  ["Could not verify token claim", "Unauthenticated", "signature-invalid", "older"],
  ["Invalid auth jwks response body", "InvalidAuthHeader", "jwks-unreachable", "older"],
  ["Could not decode token", "InvalidAuthHeader", "kid-missing", "older"],
  ["Could not validate token", "InvalidAuthHeader", "token-expired", "older"],
  ["Invalid JWKS URL", "InvalidAuthHeader", "jwks-unreachable", "older"],
  ["Could not fetch JWKS: error trying to connect", "InvalidAuthHeader", "jwks-unreachable", "older"],
  ["Could not fetch JWKS", "InvalidAuthHeader", "jwks-unreachable", "older"],
  ["Invalid Content-Type when fetching JWKS", "InvalidAuthHeader", "jwks-unreachable", "older"],
  ["Could not decode token. The JWT's 'kid' (key ID) header is 'abc' but this doesn't match any key in the provider's JWKS.", "InvalidAuthHeader", "kid-not-in-jwks", "older"],
  ["Could not decode token. The JWT is missing a 'kid' (key ID) header, or the JWT signature is invalid.", "InvalidAuthHeader", "kid-missing", "older"],
  ["Could not validate token. This often happens due to timing issues: check that your JWT's 'iat' (issued at) and 'exp' (expires) claims are valid for the current time.", "InvalidAuthHeader", "token-expired", "older"],
];

describe("classifyBackendError", () => {
  for (const [text, code, firstId, era] of CASES) {
    it(text.slice(0, 70), () => {
      const c = classifyBackendError(text);
      expect(c.code).toBe(code);
      expect(c.ids[0] ?? null).toBe(firstId);
      expect(c.era).toBe(era);
      expect(c.summary.length).toBeGreaterThan(10);
    });
  }

  it("reads HTTP JSON bodies and ConvexHttpClient's Error wrapping, keeping the body's code", () => {
    const body = '{"code":"NoAuthProvider","message":"No auth provider found matching the given token"}';
    expect(classifyBackendError(body)).toMatchObject({ code: "NoAuthProvider", ids: expect.arrayContaining(["iss-mismatch"]) });
    expect(classifyBackendError(`Error: ${body}`)).toMatchObject({ code: "NoAuthProvider" });
    const discovery = '{"code":"AuthProviderDiscoveryFailed","message":"Auth provider discovery of https://x failed"}';
    expect(classifyBackendError(discovery).ids[0]).toBe("discovery-failed");
    expect(classifyBackendError('{"code":"InvalidAuthHeader","message":"Could not validate token: Token expired 8 seconds ago"}').summary).toContain("8");
  });

  it("reads the client's Failed to authenticate log line and a bare close-reason code", () => {
    const line = 'Failed to authenticate: "Could not decode token. JWT may be missing a \'kid\' (key ID) header.", check your server auth config';
    expect(classifyBackendError(line).ids).toEqual(["kid-missing"]);
    expect(classifyBackendError("AuthProviderDiscoveryFailed")).toMatchObject({ code: "AuthProviderDiscoveryFailed", ids: ["discovery-failed"] });
  });

  it("unknown texts give no IDs and never throw", () => {
    expect(classifyBackendError("something else").ids).toEqual([]);
    expect(classifyBackendError("{broken json").ids).toEqual([]);
    expect(classifyBackendError("x".repeat(1_000_000)).ids).toEqual([]);
    expect(classifyBackendError(undefined as unknown as string).ids).toEqual([]);
  });
});

describe("texts named like Object.prototype members (page data is untrusted)", () => {
  for (const text of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", '{"code":"__proto__","message":"constructor"}', "Error: toString"]) {
    it(JSON.stringify(text), () => {
      const c = classifyBackendError(text);
      expect(c.ids).toEqual([]);
      expect(c.era).toBe("unknown");
      expect(c.summary).toMatch(/^Not a known Convex auth error text: /);
    });
  }
  // A backtracking pattern takes minutes on 1 MB: a freeze fails by the test's timeout, not by a stopwatch.
  it("a 1 MB a-a-… text is classified (as unknown) without freezing", () => {
    expect(classifyBackendError("a-".repeat(500_000)).ids).toEqual([]);
  });
});
