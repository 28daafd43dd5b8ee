import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowAll, issuerOfDiscoveryUrl, loopbackPolicy, providerPolicy, userConsent } from "../../../src/core/keys/policy";
import { createKeySource } from "../../../src/core/keys/source";
import type { Provider } from "../../../src/core/config/types";
import { json, reply, startServer, type TestServer } from "./server";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

describe("loopbackPolicy", () => {
  const p = loopbackPolicy();
  it.each([
    "http://127.0.0.1:3211/x",
    "https://127.0.0.1/.well-known/openid-configuration",
    "http://localhost:8080",
    "http://LOCALHOST:1/",
    "http://[::1]:9000/jwks",
  ])("allows %s", (url) => expect(p.allows(url, "jwks").ok).toBe(true));
  it.each([
    "https://example.com/jwks",
    "http://127.0.0.2/",
    "http://localhost.evil.com/",
    "ftp://127.0.0.1/",
    "file:///etc/passwd",
    "not a url",
  ])("refuses %s", (url) => expect(p.allows(url, "discovery").ok).toBe(false));
});

describe("allowAll (CLI)", () => {
  it("allows any http(s) URL, nothing else", () => {
    expect(allowAll().allows("https://anything.example/x", "jwks").ok).toBe(true);
    expect(allowAll().allows("file:///etc/passwd", "jwks").ok).toBe(false);
  });
});

describe("providerPolicy", () => {
  const providers: Provider[] = [
    { type: "oidc", domain: "https://auth.example.com", applicationID: "convex", index: 0 },
    { type: "oidc", domain: "https://tenant.example.org/", applicationID: "x", index: 1 },
    { type: "customJwt", issuer: "https://api.workos.com/", jwks: "https://api.workos.com/sso/jwks/client_1", algorithm: "RS256", index: 2 },
    { type: "customJwt", issuer: "https://noauth.example", jwks: null, algorithm: null, index: 3 },
  ];
  const p = providerPolicy(providers);

  it("allows the discovery URL of an iss that matches a configured OIDC domain after normalization", () => {
    expect(p.allows("https://auth.example.com/.well-known/openid-configuration", "discovery").ok).toBe(true);
    // iss with a trailing slash builds the same URL; iss "https://tenant.example.org" (no slash) matches too.
    expect(p.allows("https://tenant.example.org/.well-known/openid-configuration", "discovery").ok).toBe(true);
  });

  it("refuses discovery for other issuers, customJwt issuers, and look-alikes", () => {
    for (const url of [
      "https://evil.example/.well-known/openid-configuration",
      "https://api.workos.com/.well-known/openid-configuration",
      "https://auth.example.com/sub/.well-known/openid-configuration",
      "https://AUTH.example.com/.well-known/openid-configuration",
      "https://auth.example.com/",
    ]) {
      const d = p.allows(url, "discovery");
      expect(d.ok, url).toBe(false);
      if (!d.ok) expect(d.reason).toContain("not the discovery URL of a configured OIDC provider");
    }
  });

  it("allows configured customJwt jwks URLs, nothing else for jwks", () => {
    expect(p.allows("https://api.workos.com/sso/jwks/client_1", "jwks").ok).toBe(true);
    expect(p.allows("https://api.workos.com/sso/jwks/client_2", "jwks").ok).toBe(false);
    expect(p.allows("http://127.0.0.1:1/jwks", "jwks").ok).toBe(false);
  });

  it("allowLoopback adds loopback URLs", () => {
    const q = providerPolicy(providers, { allowLoopback: true });
    expect(q.allows("http://127.0.0.1:1/jwks", "jwks").ok).toBe(true);
  });

  it("allows the jwks_uri a configured provider's discovery document named, after the source fetched it", async () => {
    // The configured OIDC domain is the test server itself (non-loopback policy: no allowLoopback).
    const issuer = srv.url("/idp");
    srv.route("/idp/.well-known/openid-configuration", json({ issuer, jwks_uri: srv.url("/idp/keys") }));
    srv.route("/idp/keys", json({ keys: [] }));
    srv.route("/other-keys", json({ keys: [] }));
    const policy = providerPolicy([{ type: "oidc", domain: issuer, applicationID: "a", index: 0 }]);
    const source = createKeySource({ fetch, policy });
    const before = await source.jwks(srv.url("/idp/keys"), "oidc");
    expect(before.ok).toBe(false);
    expect(srv.hits("/idp/keys")).toBe(0);
    const d = await source.discover(issuer);
    expect(d.ok).toBe(true);
    expect((await source.jwks(srv.url("/idp/keys"), "oidc")).ok).toBe(true);
    expect((await source.jwks(srv.url("/other-keys"), "oidc")).ok).toBe(false);
    expect(srv.hits("/other-keys")).toBe(0);
  });

  it("a page-chosen iss is never fetched: policy failure, zero server hits", async () => {
    srv.route("/page-iss/.well-known/openid-configuration", json({ issuer: "x", jwks_uri: "https://x.example/j" }));
    const source = createKeySource({ fetch, policy: providerPolicy(providers) });
    const r = await source.discover(srv.url("/page-iss"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.kind).toBe("policy");
    expect(srv.hits("/page-iss/.well-known/openid-configuration")).toBe(0);
  });

  it("a redirect to a URL the policy refuses is not followed", async () => {
    const issuer = srv.url("/redir");
    srv.route("/redir/.well-known/openid-configuration", reply(302, { location: "https://evil.example/doc" }, ""));
    const source = createKeySource({ fetch, policy: providerPolicy([{ type: "oidc", domain: issuer, applicationID: "a", index: 0 }]) });
    const r = await source.discover(issuer);
    expect(r).toMatchObject({ ok: false, failure: { kind: "policy", url: "https://evil.example/doc" } });
  });
});

describe("userConsent (panel: fetch on click)", () => {
  it("adds exactly the approved URLs to a base policy, live", async () => {
    const approved = new Set<string>();
    const p = userConsent(loopbackPolicy(), approved);
    const url = "https://idp.example/.well-known/openid-configuration";
    const refused = p.allows(url, "discovery");
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toContain('click "Fetch"');
    approved.add(url);
    expect(p.allows(url, "discovery").ok).toBe(true);
    expect(p.allows("https://idp.example/other", "jwks").ok).toBe(false);
    expect(p.allows("http://localhost:1/", "jwks").ok).toBe(true);
  });

  it("approving a discovery URL also approves the jwks_uri its document names", () => {
    const approved = new Set(["https://idp.example/.well-known/openid-configuration"]);
    const p = userConsent(loopbackPolicy(), approved);
    p.noteJwksUri?.("https://keys.idp.example/jwks", "https://idp.example/.well-known/openid-configuration");
    expect(p.allows("https://keys.idp.example/jwks", "jwks").ok).toBe(true);
    p.noteJwksUri?.("https://keys.other.example/jwks", "https://other.example/.well-known/openid-configuration");
    expect(p.allows("https://keys.other.example/jwks", "jwks").ok).toBe(false);
  });
});

describe("issuerOfDiscoveryUrl", () => {
  it("recovers the normalized issuer", () => {
    expect(issuerOfDiscoveryUrl("https://a.example/t/.well-known/openid-configuration")).toBe("https://a.example/t");
    expect(issuerOfDiscoveryUrl("https://a.example/t/jwks")).toBe(null);
  });
});
