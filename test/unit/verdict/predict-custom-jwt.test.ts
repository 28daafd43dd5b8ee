import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEXT } from "../../../src/core/verdict/messages";
import { customJwt, dataUrl, denyAll, ids, keySource, makeKey, NOW, predict, sign, signHs256, startServer, type TestKey, type TestServer } from "./helpers";

let srv: TestServer;
let rsa: TestKey;
let rsa2: TestKey;
let ec: TestKey;
let ed: TestKey;
let jwksUrl: string;
const ISS = "https://auth.example.com";

const claims = (over: Record<string, unknown> = {}) => ({ iss: ISS, sub: "user-1", aud: "app", iat: NOW - 60, exp: NOW + 3600, ...over });
const provider = (over: Parameters<typeof customJwt>[2] = {}) => customJwt(ISS, jwksUrl, { applicationID: "app", ...over });

beforeAll(async () => {
  srv = await startServer();
  [rsa, rsa2, ec, ed] = await Promise.all([makeKey("RS256", "rsa-1"), makeKey("RS256", "rsa-2"), makeKey("ES256", "ec-1"), makeKey("EdDSA", "ed-1")]);
  srv.json("/jwks.json", { keys: [rsa.publicJwk, ec.publicJwk] });
  jwksUrl = `${srv.url}/jwks.json`;
});
afterAll(() => srv.close());

describe("customJwt path", () => {
  it("accepts RS256 and flattens nested claims into the identity", async () => {
    const v = await predict(await sign(rsa, claims({ email: "a@b.c", properties: { id: "123" } })), [provider()]);
    expect(v.verdict).toBe("accepted");
    expect(v.identity).toMatchObject({ tokenIdentifier: `${ISS}|user-1`, email: "a@b.c", "properties.id": "123" });
    expect(ids(v)).toContain("identity-preview");
  });

  it("accepts ES256 when configured", async () => {
    const v = await predict(await sign(ec, claims()), [provider({ algorithm: "ES256" })]);
    expect(v.verdict).toBe("accepted");
  });

  it("rejects a header alg other than the configured one, naming the kid (dev) or not (prod)", async () => {
    const token = await sign(ec, claims());
    const dev = await predict(token, [provider({ algorithm: "RS256" })]);
    expect(dev.expectedError).toEqual({
      code: "InvalidAuthHeader",
      message: "Could not decode token. The JWT's 'kid' (key ID) header is 'ec-1', does this key match any key in the provider's JWKS?",
      httpStatus: 401,
      errorCode: "Unauthenticated",
    });
    expect(ids(dev)).toContain("alg-unsupported");
    const prod = await predict(token, [provider({ algorithm: "RS256" })], { prod: true });
    expect(prod.expectedError?.message).toBe(TEXT.decodeKidProd);
  });

  it("rejects EdDSA for customJwt and HS256 always", async () => {
    const e = await predict(await sign(ed, claims()), [provider()]);
    expect(ids(e)).toContain("alg-unsupported");
    const h = await predict(await signHs256(claims()), [provider()]);
    expect(h.expectedError?.message).toContain("Could not decode token. The JWT's 'kid' (key ID) header is 'hs'");
    expect(ids(h)).toContain("hs-symmetric");
  });

  it("a JWK alg that disagrees with the header is alg-unsupported", async () => {
    const s = await startServer();
    try {
      s.json("/jwks.json", { keys: [{ ...rsa.publicJwk, alg: "RS384" }] });
      const v = await predict(await sign(rsa, claims()), [customJwt(ISS, `${s.url}/jwks.json`, { applicationID: "app" })]);
      const f = v.findings.find((x) => x.id === "alg-unsupported");
      expect(f?.message).toContain("RS384");
    } finally {
      await s.close();
    }
  });

  it("requires kid: the no-kid text is the same in dev and prod", async () => {
    const token = await sign(rsa, claims(), { header: { kid: null } });
    for (const prod of [false, true]) {
      const v = await predict(token, [provider()], { prod });
      expect(v.expectedError?.message).toBe(TEXT.decodeNoKid);
      expect(ids(v)).toContain("kid-missing");
    }
  });

  it("an unknown kid lists the JWKS kids; a bad signature is signature-invalid", async () => {
    const unknown = await predict(await sign(rsa, claims(), { header: { kid: "zzz" } }), [provider()]);
    expect(unknown.findings.find((f) => f.id === "kid-not-in-jwks")?.message).toContain("rsa-1");
    const forged = await predict(await sign(rsa2, claims(), { header: { kid: "rsa-1" } }), [provider()]);
    expect(forged.expectedError?.message).toContain("header is 'rsa-1'");
    expect(ids(forged)).toContain("signature-invalid");
  });

  it("aud: any element of an array may match; a wrong aud matches no provider", async () => {
    const ok = await predict(await sign(rsa, claims({ aud: ["x", "app", "y"] })), [provider()]);
    expect(ok.verdict).toBe("accepted");
    const bad = await predict(await sign(rsa, claims({ aud: ["x", "y"] })), [provider()]);
    expect(bad.expectedError?.code).toBe("NoAuthProvider");
    expect(bad.findings.find((f) => f.id === "aud-mismatch")?.message).toContain('"app"');
    const none = await predict(await sign(rsa, claims({ aud: undefined })), [provider()]);
    expect(ids(none)).toContain("aud-missing");
  });

  it("without applicationID aud is ignored (and a warning is config's job)", async () => {
    const v = await predict(await sign(rsa, claims({ aud: "anything" })), [customJwt(ISS, jwksUrl)]);
    expect(v.verdict).toBe("accepted");
  });

  it("5 s leeway on exp: now-5 accepted, now-6 rejected with the biscuit text", async () => {
    const at5 = await predict(await sign(rsa, claims({ exp: NOW - 5 })), [provider()]);
    expect(at5.verdict).toBe("accepted");
    // Accepted in the grace period, but the sync session rejects it straight away.
    expect(at5.findings.find((f) => f.id === "token-expired")?.severity).toBe("warning");
    const at6 = await predict(await sign(rsa, claims({ exp: NOW - 6 })), [provider()]);
    expect(at6.expectedError).toMatchObject({ code: "InvalidAuthHeader", message: "Could not validate token: Token expired 6 seconds ago", httpStatus: 401 });
    expect(ids(at6)).toContain("token-expired");
  });

  it("5 s leeway on nbf and iat in the future", async () => {
    expect((await predict(await sign(rsa, claims({ nbf: NOW + 5 })), [provider()])).verdict).toBe("accepted");
    const nbf6 = await predict(await sign(rsa, claims({ nbf: NOW + 6 })), [provider()]);
    expect(nbf6.expectedError?.message).toBe("Could not validate token: Token will be valid in 6 seconds");
    expect(ids(nbf6)).toContain("token-not-yet-valid");
    expect((await predict(await sign(rsa, claims({ iat: NOW + 5 })), [provider()])).verdict).toBe("accepted");
    const iat7 = await predict(await sign(rsa, claims({ iat: NOW + 7 })), [provider()]);
    expect(iat7.expectedError?.message).toBe("Could not validate token: Token will be valid in 7 seconds");
  });

  it("fractional timestamps are rounded", async () => {
    const v = await predict(await sign(rsa, claims({ exp: NOW - 6.4 })), [provider()]);
    expect(v.expectedError?.message).toBe("Could not validate token: Token expired 6 seconds ago");
  });

  it("sub and exp are required; iat missing is only a warning", async () => {
    const noSub = await predict(await sign(rsa, { iss: ISS, aud: "app", exp: NOW + 60 }), [provider()]);
    expect(noSub.expectedError?.message).toBe(TEXT.claimsMissing);
    expect(ids(noSub)).toContain("sub-missing");
    const noExp = await predict(await sign(rsa, { iss: ISS, aud: "app", sub: "u" }), [provider()]);
    expect(noExp.expectedError?.message).toBe(TEXT.claimsMissing);
    expect(ids(noExp)).toContain("exp-missing");
    const noIat = await predict(await sign(rsa, { iss: ISS, aud: "app", sub: "u", exp: NOW + 60 }), [provider()]);
    expect(noIat.verdict).toBe("accepted");
    expect(noIat.findings.find((f) => f.id === "iat-missing")?.severity).toBe("warning");
  });

  it("a short lifetime is a warning that does not change the verdict", async () => {
    const v = await predict(await sign(rsa, claims({ iat: NOW, exp: NOW + 2 })), [provider()]);
    expect(v.verdict).toBe("accepted");
    expect(v.findings.find((f) => f.id === "lifetime-too-short")?.severity).toBe("warning");
  });

  it("JWKS failures give the backend's exact texts", async () => {
    const s = await startServer();
    try {
      s.json("/text.json", { keys: [rsa.publicJwk] }, "text/plain");
      s.route("/none.json", { headers: {}, body: JSON.stringify({ keys: [rsa.publicJwk] }) });
      s.json("/latin1.json", { keys: [rsa.publicJwk] }, "application/json; charset=iso-8859-1");
      s.json("/jwkset.json", { keys: [rsa.publicJwk] }, "application/jwk-set+json");
      s.route("/bad.json", { headers: { "content-type": "application/json" }, body: "{not json" });
      s.json("/badkey.json", { keys: [rsa.publicJwk, { kty: "nope" }] });
      const token = await sign(rsa, claims());
      const run = (path: string) => predict(token, [customJwt(ISS, `${s.url}${path}`, { applicationID: "app" })]);

      const ct = await run("/text.json");
      expect(ct.expectedError?.message).toBe(
        `Invalid Content-Type 'text/plain' when fetching JWKS from '${s.url}/text.json'. Expected 'application/json' or 'application/jwk-set+json'.`,
      );
      expect(ids(ct)).toContain("jwks-unreachable");
      expect((await run("/none.json")).expectedError?.message).toContain("Invalid Content-Type 'unknown' when fetching JWKS");
      expect((await run("/latin1.json")).expectedError?.message).toContain("Invalid Content-Type 'application/json; charset=iso-8859-1'");
      expect((await run("/jwkset.json")).verdict).toBe("accepted");
      expect((await run("/missing.json")).expectedError?.message).toBe(
        `Could not fetch JWKS from URL '${s.url}/missing.json': HTTP 404 Not Found. Check that the URL is correct and accessible.`,
      );
      expect((await run("/bad.json")).expectedError?.message).toBe(
        `Invalid JWKS response body from '${s.url}/bad.json'. The response is not valid JSON or doesn't match the expected JWKS format.`,
      );
      // Strict parse: one unparseable key fails the whole set.
      expect((await run("/badkey.json")).expectedError?.message).toContain("Invalid JWKS response body");
    } finally {
      await s.close();
    }
  });

  it("a JWKS this machine cannot reach is unknown (not the backend's 'Could not fetch JWKS'); token-only checks still decide", async () => {
    const s = await startServer();
    const url = `${s.url}/jwks.json`;
    await s.close();
    const v = await predict(await sign(rsa, claims()), [customJwt(ISS, url, { applicationID: "app" })]);
    expect(v.verdict).toBe("unknown");
    expect(v.expectedError).toBeNull();
    expect(ids(v)).not.toContain("jwks-unreachable");
    expect(v.findings.find((f) => f.id === "check-incomplete")?.message).toContain(`${url} could not be reached from this machine`);
    const expired = await predict(await sign(rsa, claims({ exp: NOW - 3600 })), [customJwt(ISS, url, { applicationID: "app" })]);
    expect(expired.verdict).toBe("rejected");
    expect(expired.expectedError?.message).toBe("Could not validate token: Token expired 3600 seconds ago");
    const noKid = await predict(await sign(rsa, claims(), { header: { kid: null } }), [customJwt(ISS, url, { applicationID: "app" })]);
    expect(noKid.expectedError?.message).toBe(TEXT.decodeNoKid);
  });

  it("data: JWKS: decoded (MIME ignored); an undecodable one gives the data URL text", async () => {
    const ok = await predict(await sign(rsa, claims()), [customJwt(ISS, dataUrl({ keys: [rsa.publicJwk] }), { applicationID: "app" })]);
    expect(ok.verdict).toBe("accepted");
    const bad = await predict(await sign(rsa, claims()), [customJwt(ISS, "data:text/plain;base64,%%%not-base64", { applicationID: "app" })]);
    expect(bad.expectedError?.message).toBe(TEXT.jwksDataUrl);
    expect(ids(bad)).toContain("jwks-unreachable");
  });

  it("unknown when the policy forbids the JWKS fetch", async () => {
    const before = srv.hits("/jwks.json");
    const v = await predict(await sign(rsa, claims()), [provider()], { keys: keySource(denyAll()) });
    expect(v.verdict).toBe("unknown");
    expect(v.findings.find((f) => f.id === "check-incomplete")?.message).toContain("jwks");
    expect(srv.hits("/jwks.json")).toBe(before);
  });

  it("unknown for a provider learned from a NoAuthProvider message (no jwks URL)", async () => {
    const v = await predict(await sign(rsa, claims()), [{ type: "customJwt", issuer: ISS, jwks: null, algorithm: null, applicationID: "app", index: 0 }]);
    expect(v.verdict).toBe("unknown");
  });

  it("a customJwt issuer matches with a scheme-less iss and trailing slashes", async () => {
    const v = await predict(await sign(rsa, claims({ iss: "auth.example.com/" })), [customJwt(`${ISS}//`, jwksUrl, { applicationID: "app" })]);
    expect(v.verdict).toBe("accepted");
    expect(v.identity?.tokenIdentifier).toBe("auth.example.com/|user-1");
  });
});
