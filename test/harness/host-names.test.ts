// The harness's real-looking host names: which names are mapped (and which are not), the TLS certificate,
// routing by Host, and token validation that fetches discovery/JWKS through those names on 127.0.0.1.
import { X509Certificate, createPublicKey, createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./deployment.ts";
import { CHROMIUM_HOST_RULES, CLERK_HOST, harnessTls, isLocalName, localNameLookup } from "./host-names.ts";
import { createLocalNameFetch } from "./local-fetch.ts";
import { makeSelfSignedCert } from "./tls-cert.ts";
import type { Scenario } from "./scenarios.ts";
import { MSG } from "./validate.ts";

describe("mapped names", () => {
  it("maps exactly *.clerk.accounts.dev, api.workos.com, *.us.auth0.com, *.convex.cloud and *.convex.site", () => {
    for (const n of [CLERK_HOST, "FINE-GULL-12.Clerk.Accounts.Dev", "a.b.clerk.accounts.dev", "api.workos.com", "api.workos.com.", "happy-otter-123.convex.cloud", "x.convex.site", "dev-harness.us.auth0.com"]) {
      expect(isLocalName(n), n).toBe(true);
    }
    for (const n of ["clerk.accounts.dev", "accounts.dev", "xclerk.accounts.dev", "workos.com", "auth.workos.com", "api.workos.com.evil.test",
      "evilapi.workos.com", "convex.cloud", "convex.site", "x.convex.site.evil.test", "us.auth0.com", "auth0.com", "x.eu.auth0.com", "example.com", "127.0.0.1", "localhost", ""]) {
      expect(isLocalName(n), n).toBe(false);
    }
    expect(CHROMIUM_HOST_RULES).toBe(
      "MAP *.clerk.accounts.dev 127.0.0.1, MAP api.workos.com 127.0.0.1, MAP *.us.auth0.com 127.0.0.1, MAP *.convex.cloud 127.0.0.1, MAP *.convex.site 127.0.0.1",
    );
  });

  it("the lookup answers 127.0.0.1 for mapped names in both callback forms and refuses every other name", async () => {
    const one = await new Promise<unknown[]>((r) => localNameLookup("api.workos.com", 0, (...a) => r(a)));
    expect(one).toEqual([null, "127.0.0.1", 4]);
    const all = await new Promise<unknown[]>((r) => localNameLookup(CLERK_HOST, { all: true }, (...a) => r(a)));
    expect(all).toEqual([null, [{ address: "127.0.0.1", family: 4 }]]);
    const refused = await new Promise<unknown[]>((r) => localNameLookup("example.com", { all: true }, (...a) => r(a)));
    expect(refused[0]).toMatchObject({ code: "ENOTFOUND", message: expect.stringMatching(/not example\.com/) });
  });
});

describe("self-signed certificate", () => {
  it("is a valid self-signed X.509 certificate for the names, pinned by its SPKI hash", () => {
    const tls = makeSelfSignedCert(["*.clerk.accounts.dev", "api.workos.com"]);
    const x = new X509Certificate(tls.cert);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkHost("fine-gull-12.clerk.accounts.dev")).toBe("*.clerk.accounts.dev"); // the matching SAN
    expect(x.checkHost("api.workos.com")).toBe("api.workos.com");
    expect(x.checkHost("example.com")).toBeUndefined();
    expect(x.ca).toBe(false);
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now());
    const spki = createPublicKey(tls.key).export({ type: "spki", format: "der" });
    expect(tls.spkiSha256).toBe(createHash("sha256").update(spki).digest("base64"));
    expect(harnessTls()).toBe(harnessTls()); // one identity per process
  });
});

describe("startHarness({ hostNames: true })", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ demo: false, hostNames: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  const bearer = async (scenario: Scenario) => {
    const token = await h.tokenFor(scenario);
    const res = await h.fetch(`${h.url}/api/query`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ path: "users:whoami", args: [{}] }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("names the deployment and the issuers like Convex, Clerk and WorkOS", () => {
    expect(h.url).toBe(`http://happy-otter-123.convex.cloud:${h.port}`);
    expect(h.tlsPort).toBeGreaterThan(0);
    const tls = `:${h.tlsPort}`;
    expect(h.issuers.oidc.issuer).toBe(`https://${CLERK_HOST}${tls}`);
    expect(h.issuers.oidc.jwksUrl).toBe(`https://${CLERK_HOST}${tls}/.well-known/jwks.json`);
    expect(h.issuers.workos.issuer).toBe(`https://api.workos.com${tls}/`);
    expect(h.issuers.workos.userManagementIssuer).toBe(`https://api.workos.com${tls}/user_management/${h.issuers.workos.clientId}`);
    expect(h.issuers.workos.jwksUrl).toBe(`https://api.workos.com${tls}/sso/jwks/${h.issuers.workos.clientId}`);
    expect(h.demoUrl("good")).toBe(`http://127.0.0.1:${h.port}/demo/?scenario=good`);
    expect(h.providers.map((p) => ("domain" in p ? p.domain : p.issuer))).toEqual([
      h.issuers.oidc.issuer, h.issuers.workos.userManagementIssuer, h.issuers.workos.issuer,
    ]);
  });

  it("serves Clerk's discovery and JWKS at the issuer's root, and WorkOS's JWKS as application/json", async () => {
    const disc = await h.fetch(`${h.issuers.oidc.issuer}/.well-known/openid-configuration`);
    expect(disc.status).toBe(200);
    expect(await disc.json()).toMatchObject({ issuer: h.issuers.oidc.issuer, jwks_uri: h.issuers.oidc.jwksUrl });
    const jwks = await h.fetch(h.issuers.oidc.jwksUrl);
    expect(((await jwks.json()) as { keys: { kid: string }[] }).keys[0]!.kid).toBe(h.issuers.oidc.kid);
    const workos = await h.fetch(h.issuers.workos.jwksUrl);
    expect(workos.headers.get("content-type")).toBe("application/json");
    expect(((await workos.json()) as { keys: { kid: string }[] }).keys[0]!.kid).toBe(h.issuers.workos.kid);
  });

  it("routes by Host: an issuer host answers only its own routes; the deployment name serves the deployment", async () => {
    const tls = `:${h.tlsPort}`;
    expect((await h.fetch(`https://api.workos.com${tls}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await h.fetch(`https://${CLERK_HOST}${tls}/sso/jwks/${h.issuers.workos.clientId}`)).status).toBe(404);
    expect((await h.fetch(`https://${CLERK_HOST}${tls}/api/query`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await h.fetch(`https://${CLERK_HOST}${tls}/idp/token?scenario=good`)).status).toBe(404);
    // The loopback layout's paths are not served in this layout.
    expect((await fetch(`http://127.0.0.1:${h.port}/oidc/jwks`)).status).toBe(404);
    expect((await h.fetch(`http://happy-otter-123.convex.cloud:${h.port}/idp/token?scenario=good`)).status).toBe(200);
  });

  it("trusts only the harness's own certificate for the names", async () => {
    const stranger = createLocalNameFetch(makeSelfSignedCert(["*.clerk.accounts.dev"]).cert);
    await expect(stranger(`${h.issuers.oidc.issuer}/.well-known/openid-configuration`)).rejects.toThrow(/fetch failed/);
  });

  it("validates tokens by fetching discovery and JWKS through the names (OIDC and customJwt)", async () => {
    expect(await bearer("good")).toMatchObject({
      status: 200, body: { status: "success", value: { tokenIdentifier: `${h.issuers.oidc.issuer}|user_2harnessGood`, issuer: h.issuers.oidc.issuer } },
    });
    expect(await bearer("good-workos")).toMatchObject({
      status: 200, body: { status: "success", value: { tokenIdentifier: `${h.issuers.workos.issuer}|user_01HARNESSWORKOS`, org_id: "org_01HARNESS" } },
    });
  });

  it("rejects the scenarios' tokens with NoAuthProvider listing the named providers", async () => {
    const list = `${MSG.noProviderList}[OIDC(domain=${h.issuers.oidc.issuer}, app_id=convex), ` +
      `CustomJWT(issuer=${h.issuers.workos.userManagementIssuer}, app_id=none), CustomJWT(issuer=${h.issuers.workos.issuer}, app_id=${h.issuers.workos.clientId})]`;
    for (const scenario of ["clerk-no-template", "workos-no-aud", "wrong-issuer"] as const) {
      expect(await bearer(scenario), scenario).toEqual({ status: 401, body: { code: "NoAuthProvider", message: list } });
    }
  });

  it("mints tokens shaped like the real providers' (Clerk session token, another Clerk instance, WorkOS without aud)", async () => {
    const claims = async (s: Scenario) => JSON.parse(Buffer.from((await h.tokenFor(s))!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const session = await claims("clerk-no-template");
    expect(session).toMatchObject({ iss: h.issuers.oidc.issuer, azp: `http://127.0.0.1:${h.port}`, sid: expect.stringMatching(/^sess_/), v: 2 });
    expect(session.aud).toBeUndefined();
    expect((await claims("wrong-issuer")).iss).toBe(`https://keen-wombat-77.clerk.accounts.dev:${h.tlsPort}`);
    const workos = await claims("workos-no-aud");
    expect(workos.iss).toBe(`https://api.workos.com:${h.tlsPort}`);
    expect(workos.aud).toBeUndefined();
  });
});
