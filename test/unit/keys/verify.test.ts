import { beforeAll, describe, expect, it } from "vitest";
import { selectCustomJwtKey, selectOidcKey, verifySignature } from "../../../src/core/keys/verify";
import type { Jwk, JwkSet } from "../../../src/core/keys/types";
import { makeKey, sign, type TestKey } from "./keys";

let rsaA: TestKey;
let rsaB: TestKey;
let ec: TestKey;
let ed: TestKey;

beforeAll(async () => {
  [rsaA, rsaB, ec, ed] = await Promise.all([
    makeKey("RS256", "a"),
    makeKey("RS256", "b"),
    makeKey("ES256", "e"),
    makeKey("EdDSA", "d"),
  ]);
});

const set = (...keys: Jwk[]): JwkSet => ({ keys, skipped: 0 });
const jwk = (k: TestKey, extra: Record<string, unknown> = {}): Jwk => ({ ...k.publicJwk, ...extra });
const noKid = (k: TestKey, extra: Record<string, unknown> = {}): Jwk => {
  const { kid: _kid, ...rest } = k.publicJwk;
  return { ...rest, ...extra };
};

describe("selectOidcKey (openidconnect rules)", () => {
  it("with a kid: the one key with that kid and a compatible type", () => {
    const r = selectOidcKey(set(jwk(rsaA), jwk(rsaB), jwk(ec)), { alg: "RS256", kid: "b" });
    expect(r).toEqual({ key: jwk(rsaB) });
  });

  it("with a kid that no key has: no-matching-key, listing the kids", () => {
    expect(selectOidcKey(set(jwk(rsaA), jwk(rsaB)), { alg: "RS256", kid: "zzz" })).toEqual({
      error: "no-matching-key",
      candidates: 0,
      kids: ["a", "b"],
    });
  });

  it("without a kid: fine with exactly one compatible key, ambiguous with two", () => {
    expect(selectOidcKey(set(jwk(rsaA), jwk(ec), jwk(ed)), { alg: "RS256" })).toEqual({ key: jwk(rsaA) });
    expect(selectOidcKey(set(jwk(rsaA), jwk(rsaB), jwk(ec)), { alg: "RS256" })).toMatchObject({
      error: "ambiguous",
      candidates: 2,
    });
  });

  it("two keys with the same kid are ambiguous too", () => {
    const r = selectOidcKey(set(jwk(rsaA), jwk(rsaB, { kid: "a" })), { alg: "RS256", kid: "a" });
    expect(r).toMatchObject({ error: "ambiguous", candidates: 2 });
  });

  it("a key without a kid never matches a token that has one", () => {
    expect(selectOidcKey(set(noKid(rsaA)), { alg: "RS256", kid: "a" })).toMatchObject({ error: "no-matching-key" });
  });

  it("use=enc, wrong kty and a different alg make a key incompatible", () => {
    expect(selectOidcKey(set(jwk(rsaA, { use: "enc" }), jwk(rsaB, { use: "sig" })), { alg: "RS256" })).toEqual({
      key: jwk(rsaB, { use: "sig" }),
    });
    expect(selectOidcKey(set(jwk(rsaA, { alg: "RS384" }), jwk(rsaB)), { alg: "RS256" })).toEqual({ key: jwk(rsaB) });
    expect(selectOidcKey(set(jwk(ec)), { alg: "RS256", kid: "e" })).toMatchObject({ error: "no-matching-key" });
    expect(selectOidcKey(set(jwk(ed), jwk(rsaA)), { alg: "EdDSA" })).toEqual({ key: jwk(ed) });
  });

  it("a header without a string alg matches nothing", () => {
    expect(selectOidcKey(set(jwk(rsaA)), { kid: "a" })).toMatchObject({ error: "no-matching-key" });
  });
});

describe("selectCustomJwtKey (biscuit rules)", () => {
  it("requires a kid", () => {
    expect(selectCustomJwtKey(set(jwk(rsaA)), { alg: "RS256" }, "RS256")).toEqual({ error: "kid-missing", kids: ["a"] });
  });

  it("takes the first key whose kid equals exactly (first wins, no ambiguity)", () => {
    const r = selectCustomJwtKey(set(jwk(rsaA), jwk(rsaB, { kid: "a" })), { alg: "RS256", kid: "a" }, "RS256");
    expect(r).toEqual({ key: jwk(rsaA) });
    expect(selectCustomJwtKey(set(jwk(rsaA)), { alg: "RS256", kid: "A" }, "RS256")).toEqual({
      error: "kid-not-found",
      kids: ["a"],
    });
  });

  it("ignores use (enc is fine)", () => {
    expect(selectCustomJwtKey(set(jwk(rsaA, { use: "enc" })), { alg: "RS256", kid: "a" }, "RS256")).toEqual({
      key: jwk(rsaA, { use: "enc" }),
    });
  });

  it("JWK with alg: must be a signature alg equal to the header alg and to the configured alg", () => {
    const withAlg = set(jwk(rsaA, { alg: "RS256" }));
    expect(selectCustomJwtKey(withAlg, { alg: "RS256", kid: "a" }, "RS256")).toEqual({ key: jwk(rsaA, { alg: "RS256" }) });
    expect(selectCustomJwtKey(withAlg, { alg: "RS256", kid: "a" }, "ES256")).toMatchObject({ error: "wrong-algorithm" });
    expect(selectCustomJwtKey(withAlg, { alg: "RS512", kid: "a" }, "RS256")).toMatchObject({ error: "wrong-algorithm" });
    expect(selectCustomJwtKey(set(jwk(rsaA, { alg: "RSA-OAEP" })), { alg: "RS256", kid: "a" }, "RS256")).toMatchObject({
      error: "wrong-algorithm",
    });
  });

  it("JWK without alg: the header alg must equal the configured alg", () => {
    expect(selectCustomJwtKey(set(jwk(ec)), { alg: "ES256", kid: "e" }, "ES256")).toEqual({ key: jwk(ec) });
    expect(selectCustomJwtKey(set(jwk(ec)), { alg: "ES256", kid: "e" }, "RS256")).toMatchObject({ error: "wrong-algorithm" });
  });

  it("an OKP or oct key cannot be used by biscuit", () => {
    expect(selectCustomJwtKey(set(jwk(ed)), { alg: "RS256", kid: "d" }, "RS256")).toMatchObject({ error: "unsupported-key" });
  });
});

describe("verifySignature (jose)", () => {
  it("verifies RS256, ES256 and EdDSA tokens with the right key", async () => {
    for (const k of [rsaA, ec, ed]) {
      const token = await sign(k);
      expect(await verifySignature(token, k.publicJwk, k.alg), k.alg).toEqual({ ok: true });
    }
  });

  it("does not check claims (an expired token still has a valid signature)", async () => {
    const token = await sign(rsaA, { sub: "u", exp: 1, nbf: 9_999_999_999 });
    expect(await verifySignature(token, rsaA.publicJwk, "RS256")).toEqual({ ok: true });
  });

  it("fails with the wrong key, a tampered payload, or the wrong alg — without throwing", async () => {
    const token = await sign(rsaA);
    expect(await verifySignature(token, rsaB.publicJwk, "RS256")).toEqual({ ok: false, reason: "signature verification failed" });
    const [h, , s] = token.split(".");
    const tampered = `${h}.${Buffer.from('{"sub":"admin"}').toString("base64url")}.${s}`;
    expect((await verifySignature(tampered, rsaA.publicJwk, "RS256")).ok).toBe(false);
    const wrongAlg = await verifySignature(token, rsaA.publicJwk, "ES256");
    expect(wrongAlg.ok).toBe(false);
    if (!wrongAlg.ok) expect(wrongAlg.reason).toContain("ES256");
  });

  it("ignores use/key_ops on the JWK like the backend's libraries", async () => {
    const token = await sign(rsaA);
    expect(await verifySignature(token, jwk(rsaA, { use: "enc", key_ops: ["encrypt"] }), "RS256")).toEqual({ ok: true });
  });

  it("never throws on junk", async () => {
    for (const [t, k] of [
      ["", rsaA.publicJwk],
      ["a.b.c", rsaA.publicJwk],
      ["x", rsaA.publicJwk],
      ["a.b.c", { kty: "RSA", n: "!!", e: "AQAB" }],
      ["a.b.c", { kty: "oct", k: "c2VjcmV0" }],
    ] as const) {
      const r = await verifySignature(t, k as Jwk, "RS256");
      expect(r.ok).toBe(false);
    }
  });
});
