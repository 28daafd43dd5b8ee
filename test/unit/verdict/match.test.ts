import { describe, expect, it } from "vitest";
import { closestIssuer, matchesToken } from "../../../src/core/verdict/match";
import { customJwt, oidc } from "./helpers";

describe("matchesToken (reference §2.1)", () => {
  const o = oidc("https://auth.example.com", "app");
  it("prepends https:// to a scheme-less iss and trims all trailing slashes on both sides", () => {
    expect(matchesToken(o, ["app"], "auth.example.com")).toBe(true);
    expect(matchesToken(o, ["app"], "https://auth.example.com///")).toBe(true);
    expect(matchesToken(oidc("https://auth.example.com//", "app"), ["app"], "https://auth.example.com")).toBe(true);
    expect(matchesToken(o, ["app"], "http://auth.example.com")).toBe(false);
  });
  it("compares exactly: no host lowercasing, no default-port removal", () => {
    expect(matchesToken(o, ["app"], "https://Auth.example.com")).toBe(false);
    expect(matchesToken(o, ["app"], "https://auth.example.com:443")).toBe(false);
    expect(matchesToken(o, ["app"], "https://auth.example.com/x")).toBe(false);
  });
  it("aud: must contain the applicationID, case-sensitively", () => {
    expect(matchesToken(o, ["x", "app"], "https://auth.example.com")).toBe(true);
    expect(matchesToken(o, ["App"], "https://auth.example.com")).toBe(false);
    expect(matchesToken(o, [], "https://auth.example.com")).toBe(false);
  });
  it("customJwt without applicationID ignores aud", () => {
    const c = customJwt("https://auth.example.com", "https://auth.example.com/jwks");
    expect(matchesToken(c, [], "https://auth.example.com")).toBe(true);
    expect(matchesToken(c, ["anything"], "https://auth.example.com/")).toBe(true);
  });
});

describe("closestIssuer", () => {
  it("returns null when an issuer matches or there are no providers", () => {
    expect(closestIssuer("https://a.example.com/", [oidc("https://a.example.com", "x")])).toBeNull();
    expect(closestIssuer("https://a.example.com", [])).toBeNull();
  });
  it("picks the nearest and names the difference", () => {
    const providers = [oidc("https://zzz.other.org", "x", 0), oidc("https://auth.example.com", "x", 1)];
    const c = closestIssuer("auth.example.com:8443", providers);
    expect(c?.provider.index).toBe(1);
    expect(c?.kind).toBe("port");
    expect(closestIssuer("http://auth.example.com", providers)?.kind).toBe("scheme");
    expect(closestIssuer("https://AUTH.example.com", providers)?.kind).toBe("case");
    expect(closestIssuer("https://www.auth.example.com", providers)?.kind).toBe("www");
    expect(closestIssuer("https://auth.example.com/v2", providers)?.kind).toBe("path");
    expect(closestIssuer("https://login.example.com", providers)?.kind).toBe("tenant");
    expect(closestIssuer("https://unrelated.net", providers)?.kind).toBe("host");
  });
});
