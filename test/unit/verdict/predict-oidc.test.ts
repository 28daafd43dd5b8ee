import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAuthConfig } from "../../../src/core/config/parse";
import { TEXT } from "../../../src/core/verdict/messages";
import { customJwt, denyAll, ids, keySource, makeKey, NOW, oidc, predict, serveOidc, sign, signHs256, startServer, type TestKey, type TestServer } from "./helpers";

let srv: TestServer;
let rsa: TestKey;
let rsa2: TestKey;
let ed: TestKey;
let ec: TestKey;
let iss: string;

const claims = (over: Record<string, unknown> = {}) => ({ iss, sub: "user-1", aud: "app", iat: NOW - 60, exp: NOW + 3600, ...over });

beforeAll(async () => {
  srv = await startServer();
  [rsa, rsa2, ed, ec] = await Promise.all([makeKey("RS256", "rsa-1"), makeKey("RS256", "rsa-2"), makeKey("EdDSA", "ed-1"), makeKey("ES256", "ec-1")]);
  iss = serveOidc(srv, [rsa.publicJwk, ed.publicJwk, ec.publicJwk]);
});
afterAll(() => srv.close());

describe("OIDC path", () => {
  it("accepts a valid RS256 ID token and previews the identity", async () => {
    const v = await predict(await sign(rsa, claims({ email: "a@b.c", email_verified: true })), [oidc(iss, "app")]);
    expect(v.verdict).toBe("accepted");
    expect(v.expectedError).toBeNull();
    expect(v.identity).toMatchObject({ tokenIdentifier: `${iss}|user-1`, subject: "user-1", issuer: iss, email: "a@b.c", emailVerified: true });
    expect(ids(v)).toContain("identity-preview");
    expect(v.provider?.type).toBe("oidc");
  });

  it("accepts EdDSA", async () => {
    const v = await predict(await sign(ed, claims()), [oidc(iss, "app")]);
    expect(v.verdict).toBe("accepted");
  });

  it("rejects ES256 with the generic OIDC message and alg-unsupported", async () => {
    const v = await predict(await sign(ec, claims()), [oidc(iss, "app")]);
    expect(v.verdict).toBe("rejected");
    expect(v.expectedError).toEqual({ code: "Unauthenticated", message: TEXT.oidcVerify, httpStatus: 401, errorCode: "Unauthenticated" });
    expect(ids(v)).toContain("alg-unsupported");
  });

  it("refuses HS256 as hs-symmetric", async () => {
    const v = await predict(await signHs256(claims()), [oidc(iss, "app")]);
    expect(v.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(ids(v)).toContain("hs-symmetric");
  });

  it("rejects an aud array with anything besides the applicationID", async () => {
    const v = await predict(await sign(rsa, claims({ aud: ["app", "other"] })), [oidc(iss, "app")]);
    expect(v.verdict).toBe("rejected");
    expect(v.expectedError?.message).toBe(TEXT.oidcVerify);
    const f = v.findings.find((x) => x.id === "oidc-extra-audience");
    expect(f?.message).toContain('"other"');
  });

  it("accepts an aud array holding only the applicationID", async () => {
    const v = await predict(await sign(rsa, claims({ aud: ["app"] })), [oidc(iss, "app")]);
    expect(v.verdict).toBe("accepted");
  });

  it("rejects typ at+jwt but accepts typ JWT", async () => {
    const at = await predict(await sign(rsa, claims(), { header: { typ: "at+jwt" } }), [oidc(iss, "app")]);
    expect(at.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(ids(at)).toContain("typ-at-jwt");
    const jwt = await predict(await sign(rsa, claims(), { header: { typ: "JWT" } }), [oidc(iss, "app")]);
    expect(jwt.verdict).toBe("accepted");
  });

  it("has no exp leeway: now >= exp fails, now = exp - 1 passes", async () => {
    const at = await predict(await sign(rsa, claims({ exp: NOW })), [oidc(iss, "app")]);
    expect(at.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(ids(at)).toContain("token-expired");
    const before = await predict(await sign(rsa, claims({ exp: NOW + 1 })), [oidc(iss, "app")]);
    expect(before.verdict).toBe("accepted");
  });

  it("does not check iat or nbf in the future", async () => {
    const v = await predict(await sign(rsa, claims({ iat: NOW + 600, nbf: NOW + 600 })), [oidc(iss, "app")]);
    expect(v.verdict).toBe("accepted");
  });

  it("fails the ID-token parse for email_verified: \"true\"", async () => {
    const v = await predict(await sign(rsa, claims({ email_verified: "true" })), [oidc(iss, "app")]);
    expect(v.expectedError).toMatchObject({ code: "InvalidAuthHeader", message: TEXT.oidcParse, httpStatus: 401 });
    const f = v.findings.find((x) => x.id === "oidc-claim-type");
    expect(f?.message).toContain("email_verified");
  });

  it("fails the ID-token parse without iat (iat-missing is an error for OIDC)", async () => {
    const c = claims();
    delete (c as Record<string, unknown>).iat;
    const v = await predict(await sign(rsa, c), [oidc(iss, "app")]);
    expect(v.expectedError?.message).toBe(TEXT.oidcParse);
    const f = v.findings.find((x) => x.id === "iat-missing");
    expect(f?.severity).toBe("error");
  });

  it("fails the ID-token parse without sub / exp", async () => {
    const v = await predict(await sign(rsa, { iss, aud: "app", iat: NOW }), [oidc(iss, "app")]);
    expect(v.expectedError?.message).toBe(TEXT.oidcParse);
    expect(ids(v)).toEqual(expect.arrayContaining(["sub-missing", "exp-missing"]));
  });

  it("a kid-less token with two RSA keys is ambiguous (kid-missing)", async () => {
    const s = await startServer();
    try {
      const i = serveOidc(s, [rsa.publicJwk, rsa2.publicJwk]);
      const v = await predict(await sign(rsa, { ...claims(), iss: i }, { header: { kid: null } }), [oidc(i, "app")]);
      expect(v.expectedError?.message).toBe(TEXT.oidcVerify);
      const f = v.findings.find((x) => x.id === "kid-missing");
      expect(f?.message).toContain("2 keys");
      // With one RSA key the same kid-less token is fine.
      const s2 = await startServer();
      try {
        const i2 = serveOidc(s2, [rsa.publicJwk, ed.publicJwk]);
        const ok = await predict(await sign(rsa, { ...claims(), iss: i2 }, { header: { kid: null } }), [oidc(i2, "app")]);
        expect(ok.verdict).toBe("accepted");
      } finally {
        await s2.close();
      }
    } finally {
      await s.close();
    }
  });

  it("unknown kid → kid-not-in-jwks listing the kids it has", async () => {
    const v = await predict(await sign(rsa, claims(), { header: { kid: "nope" } }), [oidc(iss, "app")]);
    expect(v.expectedError?.message).toBe(TEXT.oidcVerify);
    const f = v.findings.find((x) => x.id === "kid-not-in-jwks");
    expect(f?.message).toContain("rsa-1");
  });

  it("a wrong signature → signature-invalid", async () => {
    const forged = await sign(rsa2, claims(), { header: { kid: "rsa-1" } });
    const v = await predict(forged, [oidc(iss, "app")]);
    expect(v.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(ids(v)).toContain("signature-invalid");
  });

  it("a trailing-slash iss matches the provider but fails discovery (issuer byte mismatch)", async () => {
    const token = await sign(rsa, claims({ iss: `${iss}/` }));
    const v = await predict(token, [oidc(iss, "app")]);
    expect(v.provider?.type).toBe("oidc");
    expect(v.expectedError).toEqual({
      code: "AuthProviderDiscoveryFailed",
      message: `Auth provider discovery of ${iss}/ failed`,
      httpStatus: 400,
      errorCode: "BadRequest",
    });
    const f = v.findings.find((x) => x.id === "discovery-issuer-mismatch");
    expect(f?.message).toContain("trailing slash");
  });

  it("discovery 404 / 500 give the status text and body, with the mapped status", async () => {
    const s = await startServer();
    try {
      s.route("/a/.well-known/openid-configuration", { status: 404, headers: { "content-type": "text/plain" }, body: "nothing here" });
      s.route("/b/.well-known/openid-configuration", { status: 500, headers: { "content-type": "application/json" }, body: '{"e":1}' });
      s.route("/c/.well-known/openid-configuration", { headers: { "content-type": "text/html" }, body: "<html>" });
      const a = `${s.url}/a`;
      const b = `${s.url}/b`;
      const c = `${s.url}/c`;
      const va = await predict(await sign(rsa, claims({ iss: a })), [oidc(a, "app")]);
      expect(va.expectedError).toEqual({ code: "AuthProviderDiscoveryFailed", message: `Auth provider discovery of ${a} failed: 404 Not Found nothing here`, httpStatus: 404, errorCode: "NotFound" });
      expect(ids(va)).toContain("discovery-failed");
      const vb = await predict(await sign(rsa, claims({ iss: b })), [oidc(b, "app")]);
      expect(vb.expectedError).toMatchObject({ message: `Auth provider discovery of ${b} failed: 500 Internal Server Error {"e":1}`, httpStatus: 503 });
      const vc = await predict(await sign(rsa, claims({ iss: c })), [oidc(c, "app")]);
      expect(vc.expectedError).toMatchObject({ message: `Auth provider discovery of ${c} failed: 200 OK <html>`, httpStatus: 400 });
    } finally {
      await s.close();
    }
  });

  it("an issuer this machine cannot reach is not the backend's failure: unknown, saying what and why", async () => {
    const s = await startServer();
    const dead = s.url;
    await s.close();
    const v = await predict(await sign(rsa, claims({ iss: dead })), [oidc(dead, "app")]);
    expect(v.verdict).toBe("unknown");
    expect(v.expectedError).toBeNull();
    expect(ids(v)).not.toContain("discovery-failed");
    const note = v.findings.find((f) => f.id === "check-incomplete")!;
    expect(note.message).toContain(`${dead}/.well-known/openid-configuration could not be reached from this machine: the connection was refused`);
    expect(note.message).toContain("is not the backend's");
  });

  it("a host that does not resolve (.invalid): unknown; the token-only checks still decide (expired → rejected)", async () => {
    const far = "https://issuer.does-not-exist.invalid";
    const ok = await predict(await sign(rsa, claims({ iss: far })), [oidc(far, "app")]);
    expect(ok.verdict).toBe("unknown");
    expect(ok.findings.find((f) => f.id === "check-incomplete")?.message).toMatch(/could not be reached from this machine: DNS lookup failed here/);
    const expired = await predict(await sign(rsa, claims({ iss: far, exp: NOW - 60 })), [oidc(far, "app")]);
    expect(expired.verdict).toBe("rejected");
    expect(expired.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(ids(expired)[0]).toBe("token-expired");
    expect(expired.findings.find((f) => f.id === "check-incomplete")?.message).toMatch(/assumes those steps pass/);
    const parse = await predict(await sign(rsa, claims({ iss: far, iat: undefined })), [oidc(far, "app")]);
    expect(parse.expectedError?.message).toBe(TEXT.oidcParse);
  });

  it("a loopback issuer answering 404 IS the backend's answer (an HTTP answer from the issuer)", async () => {
    const s = await startServer();
    try {
      const v = await predict(await sign(rsa, claims({ iss: s.url, exp: NOW - 60 })), [oidc(s.url, "app")]);
      // Discovery comes first in backend order: its failure is reported, not the expiry.
      expect(v.verdict).toBe("rejected");
      expect(v.expectedError).toMatchObject({ code: "AuthProviderDiscoveryFailed", message: `Auth provider discovery of ${s.url} failed: 404 Not Found no such route`, httpStatus: 404 });
      expect(ids(v)[0]).toBe("discovery-failed");
      expect(ids(v)).not.toContain("check-incomplete");
    } finally {
      await s.close();
    }
  });

  it("an OIDC JWKS 404 is reported as a discovery failure", async () => {
    const s = await startServer();
    try {
      s.json("/.well-known/openid-configuration", { issuer: s.url, jwks_uri: `${s.url}/missing.json` });
      const v = await predict(await sign(rsa, claims({ iss: s.url })), [oidc(s.url, "app")]);
      expect(v.expectedError).toMatchObject({ code: "AuthProviderDiscoveryFailed", message: `Auth provider discovery of ${s.url} failed: 404 Not Found no such route`, httpStatus: 404 });
      expect(ids(v)).toContain("jwks-unreachable");
    } finally {
      await s.close();
    }
  });

  it("first matching provider in stored order wins, with no fall-through", async () => {
    // File order: customJwt first, OIDC second. Stored order puts OIDC first, so the OIDC path decides.
    const source = `export default { providers: [
      { type: "customJwt", issuer: "${iss}", jwks: "${srv.url}/jwks.json", algorithm: "ES256", applicationID: "app" },
      { domain: "${iss}", applicationID: "app" },
    ] };`;
    const parsed = parseAuthConfig(source, { filename: "auth.config.ts" });
    expect(parsed.providers.map((p) => p.type)).toEqual(["oidc", "customJwt"]);
    const ok = await predict(await sign(rsa, claims()), parsed.providers);
    expect(ok.verdict).toBe("accepted");
    expect(ok.provider).toMatchObject({ type: "oidc", index: 1 });
    // An ES256 token would pass the customJwt provider, but OIDC matched first and rejects it: no fallback.
    const es = await predict(await sign(ec, claims()), parsed.providers);
    expect(es.verdict).toBe("rejected");
    expect(es.provider?.type).toBe("oidc");
    expect(es.expectedError?.message).toBe(TEXT.oidcVerify);
  });

  it("is unknown when the policy forbids the discovery fetch, and fetches nothing", async () => {
    const before = srv.hits("/.well-known/openid-configuration");
    const v = await predict(await sign(rsa, claims()), [oidc(iss, "app")], { keys: keySource(denyAll()) });
    expect(v.verdict).toBe("unknown");
    expect(v.expectedError).toBeNull();
    expect(v.identity).toBeNull();
    const f = v.findings.find((x) => x.id === "check-incomplete");
    expect(f?.message).toContain("discovery");
    expect(srv.hits("/.well-known/openid-configuration")).toBe(before);
  });

  it("is unknown without a key source, but still rejected when a token-only check fails", async () => {
    const v = await predict(await sign(rsa, claims()), [oidc(iss, "app")], { keys: null });
    expect(v.verdict).toBe("unknown");
    const expired = await predict(await sign(rsa, claims({ exp: NOW - 10 })), [oidc(iss, "app")], { keys: null });
    expect(expired.verdict).toBe("rejected");
    expect(expired.expectedError?.message).toBe(TEXT.oidcVerify);
    expect(ids(expired)).toEqual(expect.arrayContaining(["token-expired", "check-incomplete"]));
  });

  it("a scheme-less iss that matches an OIDC provider is an internal error", async () => {
    const host = "issuer.example.com";
    const v = await predict(await sign(rsa, claims({ iss: host })), [oidc(`https://${host}`, "app")]);
    expect(v.expectedError).toMatchObject({ code: "InternalServerError", message: TEXT.internal, httpStatus: 500 });
  });

  it("customJwt never matches when an OIDC-only list is given a different issuer", async () => {
    const v = await predict(await sign(rsa, claims()), [customJwt("https://other.example.com", `${srv.url}/jwks.json`)]);
    expect(v.expectedError?.code).toBe("NoAuthProvider");
  });
});
