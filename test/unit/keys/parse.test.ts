import { describe, expect, it } from "vitest";
import { biscuitKeyError, isStrictBase64Url, oidcKeyError, parseLenientJwks, parseStrictJwks } from "../../../src/core/keys/jwk-parse";
import { customJwtContentTypeOk, discoveryContentTypeOk, oidcJwksContentTypeOk, parseMediaType } from "../../../src/core/keys/content-type";
import { decodeDataUrl } from "../../../src/core/keys/data-url";
import { canonicalReason } from "../../../src/core/keys/http-status";
import { discoveryUrl, normalizeIssuer } from "../../../src/core/keys/discovery-url";

const rsa = { kty: "RSA", n: "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw", e: "AQAB" };
const ec = { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };

describe("base64url like data_encoding BASE64URL_NOPAD", () => {
  it.each([
    ["AQAB", true],
    ["AA", true],
    ["AB", false], // non-zero trailing bits
    ["AAA", true],
    ["AAB", false],
    ["A", false],
    ["AQAB=", false],
    ["a+b/", false],
    ["", true],
  ])("%s → %s", (v, ok) => expect(isStrictBase64Url(v)).toBe(ok));
});

describe("strict (biscuit) vs lenient (openidconnect) JWK parsing", () => {
  it("accepts the four key types", () => {
    expect(biscuitKeyError(rsa)).toBe(null);
    expect(biscuitKeyError(ec)).toBe(null);
    expect(biscuitKeyError({ kty: "oct", k: "c2VjcmV0" })).toBe(null);
    expect(biscuitKeyError({ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" })).toBe(null);
  });

  it("biscuit: unknown kty, unknown alg, EdDSA alg, unknown curve, bad material, non-string kid all fail", () => {
    expect(biscuitKeyError({ kty: "XYZ" })).toContain("kty");
    expect(biscuitKeyError({ ...rsa, alg: "RS999" })).toContain("alg");
    expect(biscuitKeyError({ ...rsa, alg: "EdDSA" })).toContain("alg");
    expect(biscuitKeyError({ ...ec, crv: "secp256k1" })).toContain("crv");
    expect(biscuitKeyError({ ...ec, y: undefined })).not.toBe(null);
    expect(biscuitKeyError({ ...rsa, kid: 7 })).toContain("kid");
    expect(biscuitKeyError({ ...rsa, key_ops: "verify" })).toContain("key_ops");
    expect(biscuitKeyError("key")).toBe("not a JSON object");
  });

  it("biscuit accepts any use string and null optional fields", () => {
    expect(biscuitKeyError({ ...rsa, use: "whatever", kid: null, alg: "RSA-OAEP" })).toBe(null);
  });

  it("openidconnect skips only what its struct cannot hold", () => {
    expect(oidcKeyError({ ...rsa, n: 12 })).toBe(null); // bad material becomes None
    expect(oidcKeyError({ ...rsa, alg: "EdDSA" })).toBe(null);
    expect(oidcKeyError({ ...rsa, alg: "RSA-OAEP" })).toContain("alg");
    expect(oidcKeyError({ kty: "XYZ" })).toContain("kty");
    expect(oidcKeyError({ ...rsa, use: 1 })).toContain("use");
  });

  it("set level: strict fails on one bad key, lenient counts it", () => {
    const body = { keys: [rsa, { kty: "XYZ" }, ec] };
    const strict = parseStrictJwks(body);
    expect(strict).toMatchObject({ ok: false });
    if (!strict.ok) expect(strict.error).toContain("key 1");
    expect(parseLenientJwks(body)).toEqual({ ok: true, set: { keys: [rsa, ec], skipped: 1 } });
    expect(parseLenientJwks({ keys: "x" })).toMatchObject({ ok: false });
    expect(parseStrictJwks(null)).toMatchObject({ ok: false });
  });
});

describe("content types", () => {
  it("parses essence and params", () => {
    expect(parseMediaType('Application/JSON ; Charset="UTF-8"')).toEqual({ essence: "application/json", params: { charset: "UTF-8" } });
    expect(parseMediaType("json")).toBe(null);
    expect(parseMediaType("")).toBe(null);
  });

  it("applies the three rules", () => {
    expect(discoveryContentTypeOk(null)).toBe(true);
    expect(discoveryContentTypeOk("application/json; charset=latin1")).toBe(true);
    expect(discoveryContentTypeOk("application/jwk-set+json")).toBe(false);
    expect(oidcJwksContentTypeOk("application/jwk-set+json; charset=latin1")).toBe(true);
    expect(oidcJwksContentTypeOk("text/json")).toBe(false);
    expect(customJwtContentTypeOk(null)).toBe(false);
    expect(customJwtContentTypeOk("application/jwk-set+json")).toBe(true);
    expect(customJwtContentTypeOk("application/json; charset=UTF-8")).toBe(true);
    expect(customJwtContentTypeOk("application/json; charset=utf-16")).toBe(false);
    expect(customJwtContentTypeOk("garbage")).toBe(false);
  });
});

describe("data: URLs", () => {
  it("decodes base64 (forgiving) and percent-encoded bodies", () => {
    const b64 = Buffer.from('{"keys":[]}').toString("base64");
    const r = decodeDataUrl(`data:text/plain;charset=utf-8;base64,${b64}`);
    expect(r.ok && new TextDecoder().decode(r.body)).toBe('{"keys":[]}');
    const p = decodeDataUrl("data:,%7B%22keys%22%3A%5B%5D%7D");
    expect(p.ok && new TextDecoder().decode(p.body)).toBe('{"keys":[]}');
  });
  it("explains bad ones", () => {
    expect(decodeDataUrl("data:text/plain")).toMatchObject({ ok: false });
    expect(decodeDataUrl("data:;base64,a")).toMatchObject({ ok: false });
  });
});

describe("small helpers", () => {
  it("canonical reasons like the http crate", () => {
    expect(canonicalReason(404)).toBe("Not Found");
    expect(canonicalReason(203)).toBe("Non Authoritative Information");
    expect(canonicalReason(599)).toBe("<unknown status code>");
  });
  it("discovery URL and issuer normalization", () => {
    expect(discoveryUrl("https://a.example")).toBe("https://a.example/.well-known/openid-configuration");
    expect(discoveryUrl("https://a.example/")).toBe("https://a.example/.well-known/openid-configuration");
    expect(normalizeIssuer("a.example//")).toBe("https://a.example");
  });
});
