// Texts pinned literally from reference/convex-backend-auth.md §4.1 (not from the module under test).
import { describe, expect, it } from "vitest";
import { discoveryErrorCode, messages, rustDebugList } from "../../../src/core/verdict/messages";
import { customJwt, oidc } from "./helpers";

describe("§4.1 texts, codes and statuses", () => {
  const cases: [string, ReturnType<typeof messages.parsePayload>, string, string, number][] = [
    ["parse", messages.parsePayload(), "InvalidAuthHeader", "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.", 401],
    ["iss", messages.missingIss(), "InvalidAuthHeader", "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers.", 401],
    ["no provider prod", messages.noAuthProvider([oidc("https://a.example.com", "x")], true), "NoAuthProvider", "No auth provider found matching the given token", 401],
    ["no providers dev", messages.noAuthProvider([], false), "NoAuthProvider", "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.", 401],
    ["no provider dev list", messages.noAuthProvider([oidc("https://a.example.com", "x"), customJwt("https://b.example.com", "https://b.example.com/jwks")], false), "NoAuthProvider", "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=https://a.example.com, app_id=x), CustomJWT(issuer=https://b.example.com, app_id=none)]", 401],
    ["discovery 404", messages.discoveryResponse("https://i.example.com", 404, "gone"), "AuthProviderDiscoveryFailed", "Auth provider discovery of https://i.example.com failed: 404 Not Found gone", 404],
    ["discovery plain", messages.discoveryFailed("https://i.example.com"), "AuthProviderDiscoveryFailed", "Auth provider discovery of https://i.example.com failed", 400],
    ["oidc parse", messages.oidcParse(), "InvalidAuthHeader", "Could not parse as OIDC ID token. Token might not be an OIDC-compliant JWT.", 401],
    ["oidc verify", messages.oidcVerify(), "Unauthenticated", "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.", 401],
    ["internal", messages.internal(), "InternalServerError", "Your request couldn't be completed. Try again later.", 500],
    ["data url", messages.jwksDataUrl(), "InvalidAuthHeader", "Invalid JWKS data URL. Check that the data URL is properly formatted and contains valid base64-encoded JSON.", 401],
    ["jwks network", messages.jwksNetwork("https://j.example.com/jwks", "connection refused"), "InvalidAuthHeader", "Could not fetch JWKS from URL 'https://j.example.com/jwks': connection refused. Check that the URL is correct and accessible.", 401],
    ["jwks status", messages.jwksStatus("https://j.example.com/jwks", 503), "InvalidAuthHeader", "Could not fetch JWKS from URL 'https://j.example.com/jwks': HTTP 503 Service Unavailable. Check that the URL is correct and accessible.", 401],
    ["jwks status unknown", messages.jwksStatus("https://j.example.com/jwks", 599), "InvalidAuthHeader", "Could not fetch JWKS from URL 'https://j.example.com/jwks': HTTP 599 Unknown. Check that the URL is correct and accessible.", 401],
    ["jwks ct", messages.jwksContentType("https://j.example.com/jwks", "text/html"), "InvalidAuthHeader", "Invalid Content-Type 'text/html' when fetching JWKS from 'https://j.example.com/jwks'. Expected 'application/json' or 'application/jwk-set+json'.", 401],
    ["jwks ct absent", messages.jwksContentType("https://j.example.com/jwks", null), "InvalidAuthHeader", "Invalid Content-Type 'unknown' when fetching JWKS from 'https://j.example.com/jwks'. Expected 'application/json' or 'application/jwk-set+json'.", 401],
    ["jwks body", messages.jwksBody("https://j.example.com/jwks"), "InvalidAuthHeader", "Invalid JWKS response body from 'https://j.example.com/jwks'. The response is not valid JSON or doesn't match the expected JWKS format.", 401],
    ["decode kid dev", messages.decode("k1", false), "InvalidAuthHeader", "Could not decode token. The JWT's 'kid' (key ID) header is 'k1', does this key match any key in the provider's JWKS?", 401],
    ["decode kid prod", messages.decode("k1", true), "InvalidAuthHeader", "Could not decode token. The JWT's 'kid' (key ID) header doesn't match any key in the provider's JWKS, or the JWT signature is invalid.", 401],
    ["decode no kid dev", messages.decode(null, false), "InvalidAuthHeader", "Could not decode token. JWT may be missing a 'kid' (key ID) header.", 401],
    ["decode no kid prod", messages.decode(null, true), "InvalidAuthHeader", "Could not decode token. JWT may be missing a 'kid' (key ID) header.", 401],
    ["invalid issuer", messages.invalidIssuer("https://a", "https://b"), "InvalidAuthHeader", "Invalid issuer: https://a != https://b", 401],
    ["missing aud", messages.missingAud(), "InvalidAuthHeader", "Missing audience claim ('aud') in JWT payload. The JWT must include an 'aud' claim that matches your configured application ID.", 401],
    ["invalid aud", messages.invalidAudience("app", ["a", "b"]), "InvalidAuthHeader", 'Invalid audience: app not in ["a", "b"]', 401],
    ["expired", messages.tokenExpired(8), "InvalidAuthHeader", "Could not validate token: Token expired 8 seconds ago", 401],
    ["nbf", messages.tokenNotYetValid(6), "InvalidAuthHeader", "Could not validate token: Token will be valid in 6 seconds", 401],
    ["claims", messages.claimsMissing(), "InvalidAuthHeader", "Could not verify token claim. Check that the JWT contains valid claims and matches your auth provider configuration.", 401],
    ["identity expired", messages.identityExpired(), "TokenExpired", "Convex token identity expired", 401],
    ["invalid admin key", messages.invalidAdminKey(), "InvalidAdminKey", "Invalid admin key", 400],
    ["bad admin key", messages.badAdminKey(), "BadAdminKey", "The provided admin key was invalid for this instance", 401],
  ];
  for (const [name, got, code, message, status] of cases) {
    it(name, () => {
      expect(got).toMatchObject({ code, message, httpStatus: status });
    });
  }

  it("maps the upstream discovery status", () => {
    expect([401, 403, 404, 429, 400, 418, 500, 502, 200, 302].map(discoveryErrorCode)).toEqual([
      "Unauthenticated", "Forbidden", "NotFound", "RateLimited", "BadRequest", "BadRequest", "Overloaded", "Overloaded", "BadRequest", "BadRequest",
    ]);
    expect(messages.discoveryResponse("https://i", 502, "x").httpStatus).toBe(503);
    expect(messages.discoveryResponse("https://i", 429, "x").httpStatus).toBe(429);
    expect(messages.discoveryResponse("https://i", 403, "x").httpStatus).toBe(403);
    expect(messages.discoveryResponse("https://i", 200, "<html>").message).toBe("Auth provider discovery of https://i failed: 200 OK <html>");
  });

  it("prints audiences in Rust debug form", () => {
    expect(rustDebugList([])).toBe("[]");
    expect(rustDebugList(['a"b', "c\\d", "e\nf"])).toBe('["a\\"b", "c\\\\d", "e\\nf"]');
  });
});
