// The harness's own validator against reference convex-backend-auth.md §0–§4 and §7, with real
// jose-signed tokens and the harness's real HTTP issuers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { startHarness, type Harness } from "./deployment.ts";
import { parseAuthorization } from "./http-api.ts";
import { identityFromCustomJwt, identityFromOidc } from "./identity.ts";
import { MSG, validateUserToken, type HarnessProvider } from "./validate.ts";

let h: Harness;
let oidcProvider: HarnessProvider;
beforeAll(async () => {
  h = await startHarness({ demo: false });
  oidcProvider = { domain: h.issuers.oidc.issuer, applicationID: "convex" };
});
afterAll(async () => {
  await h.close();
});

const NOW = 1_800_000_000;
const at = (s = NOW) => () => s * 1000;
const unsigned = (payload: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;
const oidcClaims = (extra: object = {}) => ({ iss: h.issuers.oidc.issuer, sub: "u1", aud: "convex", iat: NOW - 10, exp: NOW + 300, ...extra });
const custom = (extra: Partial<Extract<HarnessProvider, { type: "customJwt" }>> = {}): HarnessProvider => ({
  type: "customJwt", issuer: `${h.url}/custom`, jwks: h.issuers.workos.jwksUrl, algorithm: "RS256", ...extra,
});
const customClaims = (extra: object = {}) => ({ iss: `${h.url}/custom`, sub: "c1", iat: NOW - 10, exp: NOW + 300, ...extra });

describe("steps 1–3: parse, iss, provider matching", () => {
  it("rejects unparseable payloads and wrong claim types with the exact text", async () => {
    for (const token of ["abc", "a.b$.c", unsigned({ iss: "x", exp: "soon" }), unsigned({ iss: 5 }), unsigned({ aud: [1] }), `${unsigned({ iss: "x" })}.x.y`.replace(/^[^.]+\.[^.]+/, "a.AAAA")]) {
      const r = await validateUserToken(token, [oidcProvider]);
      expect(r).toMatchObject({ ok: false, status: 401, code: "InvalidAuthHeader", message: MSG.parse });
    }
  });

  it("requires iss", async () => {
    expect(await validateUserToken(unsigned({ sub: "x" }), [oidcProvider])).toMatchObject({ code: "InvalidAuthHeader", message: MSG.noIss });
  });

  it("NoAuthProvider: no providers, dev list in stored order, and redacted", async () => {
    const token = unsigned({ iss: "https://nobody.test", aud: "convex" });
    expect(await validateUserToken(token, [])).toMatchObject({ code: "NoAuthProvider", message: MSG.noProviderNone });
    const list = [oidcProvider, custom({ applicationID: "app" })];
    expect((await validateUserToken(token, list)) as { message: string }).toMatchObject({
      code: "NoAuthProvider",
      message: `${MSG.noProviderList}[OIDC(domain=${h.issuers.oidc.issuer}, app_id=convex), CustomJWT(issuer=${h.url}/custom, app_id=app)]`,
    });
    expect(await validateUserToken(token, list, { redact: true })).toMatchObject({ message: MSG.noProviderRedacted });
  });

  it("matching: aud must contain the applicationID; scheme-less iss gets https:// (so it misses an http provider)", async () => {
    const noAud = await h.issuers.oidc.sign(oidcClaims({ aud: undefined }));
    expect(await validateUserToken(noAud, [oidcProvider], { now: at() })).toMatchObject({ code: "NoAuthProvider" });
    const schemeless = await h.issuers.oidc.sign(oidcClaims({ iss: h.issuers.oidc.issuer.replace("http://", "") }));
    expect(await validateUserToken(schemeless, [oidcProvider], { now: at() })).toMatchObject({ code: "NoAuthProvider" });
  });

  it("no fall-through: the first matching provider's failure is final", async () => {
    const token = await h.issuers.workos.sign(customClaims());
    const first = custom({ jwks: `${h.url}/nope` });
    const r = await validateUserToken(token, [first, custom()], { now: at() });
    expect(r).toMatchObject({ ok: false, message: `Could not fetch JWKS from URL '${h.url}/nope': HTTP 404 Not Found. Check that the URL is correct and accessible.` });
    expect(await validateUserToken(token, [custom(), first], { now: at() })).toMatchObject({ ok: true, providerIndex: 0 });
  });
});

describe("OIDC path", () => {
  it("accepts a good token (kid-less too, with one key) and builds the §7.1 identity", async () => {
    const r = await validateUserToken(await h.issuers.oidc.sign(oidcClaims({ email_verified: true, fva: [1, 2] })), [oidcProvider], { now: at() });
    expect(r).toMatchObject({ ok: true, exp: NOW + 300, identity: { tokenIdentifier: `${h.issuers.oidc.issuer}|u1`, emailVerified: true } });
    const kidless = await h.issuers.oidc.sign(oidcClaims(), { header: { kid: undefined } });
    expect(await validateUserToken(kidless, [oidcProvider], { now: at() })).toMatchObject({ ok: true });
  });

  it("one generic message for verification failures: extra audience, at+jwt, expiry without leeway, HS256, wrong key", async () => {
    const secret = new TextEncoder().encode("a-shared-secret-of-32-bytes-long!");
    const { privateKey } = await generateKeyPair("RS256");
    const cases: [string, string][] = [
      [await h.issuers.oidc.sign(oidcClaims({ aud: ["convex", "other"] })), "other is not a trusted audience"],
      [await h.issuers.oidc.sign(oidcClaims(), { header: { typ: "at+jwt" } }), "typ at+jwt"],
      [await h.issuers.oidc.sign(oidcClaims({ exp: NOW })), "expired (no leeway)"],
      [await new SignJWT(oidcClaims()).setProtectedHeader({ alg: "HS256" }).sign(secret), "symmetric signatures are disallowed for public clients"],
      [await new SignJWT(oidcClaims()).setProtectedHeader({ alg: "RS256", kid: h.issuers.oidc.kid }).sign(privateKey), "signature"],
      [await new SignJWT(oidcClaims()).setProtectedHeader({ alg: "RS256", kid: "other" }).sign(privateKey), "NoMatchingKey"],
    ];
    for (const [token, reason] of cases) {
      const r = await validateUserToken(token, [oidcProvider], { now: at() });
      expect(r).toMatchObject({ ok: false, status: 401, code: "Unauthenticated", message: MSG.oidcVerify });
      expect((r as { reason: string }).reason).toContain(reason);
    }
  });

  it("ID-token parse failures: string email_verified, missing iat", async () => {
    for (const claims of [oidcClaims({ email_verified: "true" }), oidcClaims({ iat: undefined })]) {
      const r = await validateUserToken(await h.issuers.oidc.sign(claims), [oidcProvider], { now: at() });
      expect(r).toMatchObject({ ok: false, code: "InvalidAuthHeader", message: MSG.oidcParse });
    }
  });

  it("discovery: the document's issuer must equal iss byte for byte; a 404 keeps status and body", async () => {
    const slash = await h.issuers.oidc.sign(oidcClaims({ iss: `${h.issuers.oidc.issuer}/` }));
    expect(await validateUserToken(slash, [oidcProvider], { now: at() })).toMatchObject({
      ok: false, status: 400, errorClass: "BadRequest", code: "AuthProviderDiscoveryFailed", message: `Auth provider discovery of ${h.issuers.oidc.issuer}/ failed`,
    });
    const missing = await h.issuers.oidc.sign(oidcClaims({ iss: `${h.url}/missing` }));
    expect(await validateUserToken(missing, [{ domain: `${h.url}/missing`, applicationID: "convex" }], { now: at() })).toMatchObject({
      status: 404, errorClass: "NotFound",
      message: `Auth provider discovery of ${h.url}/missing failed: 404 Not Found No route for GET /missing/.well-known/openid-configuration`,
    });
  });
});

describe("customJwt path", () => {
  it("accepts, with aud ignored when there is no applicationID, and flattens nested claims (§7.2)", async () => {
    const token = await h.issuers.workos.sign(customClaims({ aud: "whatever", email: "c@x.test", properties: { id: "123", deep: { a: [1] } } }));
    const r = await validateUserToken(token, [custom()], { now: at() });
    expect(r).toMatchObject({ ok: true });
    expect((r as { identity: object }).identity).toEqual({
      tokenIdentifier: `${h.url}/custom|c1`, subject: "c1", issuer: `${h.url}/custom`, email: "c@x.test", "properties.id": "123", "properties.deep.a": [1],
    });
  });

  it("with an applicationID, any aud element may match", async () => {
    const token = await h.issuers.workos.sign(customClaims({ aud: ["x", "app"] }));
    expect(await validateUserToken(token, [custom({ applicationID: "app" })], { now: at() })).toMatchObject({ ok: true });
  });

  it("decode failures: no kid, unknown kid (dev and redacted), configured alg differs", async () => {
    const noKid = await h.issuers.workos.sign(customClaims(), { header: { kid: undefined } });
    expect(await validateUserToken(noKid, [custom()], { now: at() })).toMatchObject({ code: "InvalidAuthHeader", message: MSG.noKid });
    expect(await validateUserToken(noKid, [custom()], { now: at(), redact: true })).toMatchObject({ message: MSG.noKid });
    const otherKid = await h.issuers.workos.sign(customClaims(), { header: { kid: "k-other" } });
    expect(await validateUserToken(otherKid, [custom()], { now: at() })).toMatchObject({
      message: "Could not decode token. The JWT's 'kid' (key ID) header is 'k-other', does this key match any key in the provider's JWKS?",
    });
    expect(await validateUserToken(otherKid, [custom()], { now: at(), redact: true })).toMatchObject({ message: MSG.kidRedacted });
    const good = await h.issuers.workos.sign(customClaims());
    expect(await validateUserToken(good, [custom({ algorithm: "ES256" })], { now: at() })).toMatchObject({ reason: "WrongAlgorithmHeader" });
  });

  it("times with a 5 s leeway, then sub/exp required", async () => {
    const p = [custom()];
    expect(await validateUserToken(await h.issuers.workos.sign(customClaims({ exp: NOW - 5 })), p, { now: at() })).toMatchObject({ ok: true });
    expect(await validateUserToken(await h.issuers.workos.sign(customClaims({ exp: NOW - 10 })), p, { now: at() })).toMatchObject({
      message: "Could not validate token: Token expired 10 seconds ago",
    });
    expect(await validateUserToken(await h.issuers.workos.sign(customClaims({ iat: NOW + 20 })), p, { now: at() })).toMatchObject({
      message: "Could not validate token: Token will be valid in 20 seconds",
    });
    expect(await validateUserToken(await h.issuers.workos.sign(customClaims({ sub: undefined })), p, { now: at() })).toMatchObject({ message: MSG.claims });
    expect(await validateUserToken(await h.issuers.workos.sign(customClaims({ exp: undefined })), p, { now: at() })).toMatchObject({ message: MSG.claims });
  });

  it("JWKS fetch rules: content type, status, body; data: URLs", async () => {
    const token = await h.issuers.workos.sign(customClaims());
    const r1 = await validateUserToken(token, [custom({ jwks: `${h.url}/` })], { now: at() });
    expect(r1).toMatchObject({ message: `Invalid Content-Type 'text/html; charset=utf-8' when fetching JWKS from '${h.url}/'. Expected 'application/json' or 'application/jwk-set+json'.` });
    const r2 = await validateUserToken(token, [custom({ jwks: `${h.url}/idp/token?scenario=good` })], { now: at() });
    expect(r2).toMatchObject({ message: `Invalid JWKS response body from '${h.url}/idp/token?scenario=good'. The response is not valid JSON or doesn't match the expected JWKS format.` });

    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "es1", alg: "ES256" }] };
    const dataUrl = `data:text/plain;charset=utf-8;base64,${Buffer.from(JSON.stringify(jwks)).toString("base64")}`;
    const es = await new SignJWT(customClaims()).setProtectedHeader({ alg: "ES256", kid: "es1" }).sign(privateKey);
    expect(await validateUserToken(es, [custom({ jwks: dataUrl, algorithm: "ES256" })], { now: at() })).toMatchObject({ ok: true });
    expect(await validateUserToken(es, [custom({ jwks: "data:,%E0%A4%A", algorithm: "ES256" })], { now: at() })).toMatchObject({ message: MSG.dataUrl });
  });
});

describe("identity builders (§7)", () => {
  it("OIDC: mapped names, RFC 3339 updatedAt, address.formatted only, dropped standard/localized/stripped claims, nested custom kept", () => {
    const id = identityFromOidc({
      iss: "https://i.test/", sub: "s", aud: "convex", exp: 1, iat: 0, azp: "x", jti: "j", nbf: 0, fva: [0, 1],
      given_name: "G", picture: "https://p", locale: "en", updated_at: 1704067200, address: { formatted: "A St", country: "X" },
      "name#ja": "ナ", middle_name: "M", org: { id: 1 },
    });
    expect(id).toEqual({
      tokenIdentifier: "https://i.test/|s", subject: "s", issuer: "https://i.test/", givenName: "G", pictureUrl: "https://p",
      language: "en", updatedAt: "2024-01-01T00:00:00+00:00", address: "A St", org: { id: 1 },
    });
  });

  it("customJwt: raw names, registered claims and fva removed", () => {
    expect(identityFromCustomJwt({ iss: "i", sub: "s", aud: "a", exp: 1, iat: 0, nbf: 0, jti: "j", fva: [1], name: "N", a: { b: { c: true } } })).toEqual({
      tokenIdentifier: "i|s", subject: "s", issuer: "i", name: "N", "a.b.c": true,
    });
  });
});

describe("HTTP Authorization parsing (§4.2, §6)", () => {
  it("classifies headers like the backend", () => {
    expect(parseAuthorization(undefined, null)).toEqual({ kind: "none" });
    expect(parseAuthorization(undefined, "dev:x|k")).toEqual({ kind: "admin", key: "dev:x|k" });
    expect(parseAuthorization("Bearer", null)).toMatchObject({ status: 400, code: "InvalidHeaderFailure", message: "Invalid authentication header" });
    expect(parseAuthorization("bEaReR  tok ", null)).toEqual({ kind: "user", token: "tok" });
    expect(parseAuthorization("Bearer ", null)).toMatchObject({ status: 400, code: "InvalidAdminKey", message: "Invalid admin key" });
    expect(parseAuthorization("Basic dXNlcjpwYXNz", null)).toMatchObject({ code: "InvalidAdminKey" });
    expect(parseAuthorization("eyJhbGciOiJSUzI1NiJ9.e30.sig", null)).toMatchObject({ code: "InvalidAdminKey" });
    expect(parseAuthorization("CONVEX dev:h|abc", null)).toEqual({ kind: "admin", key: "dev:h|abc" });
    const acting = Buffer.from(JSON.stringify({ subject: "s" })).toString("base64");
    expect(parseAuthorization(`Convex dev:h|abc:${acting}`, null)).toEqual({ kind: "admin", key: "dev:h|abc", actingAs: { subject: "s" } });
    expect(parseAuthorization("Convex dev:h|abc:!!notbase64json", null)).toMatchObject({ code: "HeaderParseFailure", message: "Malformed Authorization header." });
  });
});
