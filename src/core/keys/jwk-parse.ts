/**
 * JWKS body parsing with the two libraries' rules (reference §3.1 step 2, §3.2 step 2).
 * - customJwt (biscuit `JWKSet`): strict, one unparseable key fails the whole set.
 * - OIDC (openidconnect `CoreJsonWebKey` in a `VecSkipError`): keys that do not parse are skipped.
 */

import type { Jwk, JwkSet } from "./types";

export type ParseResult = { ok: true; set: JwkSet } | { ok: false; error: string };

const SIGNATURE_ALGS = [
  "none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
];
const CONTENT_ENCRYPTION_ALGS = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"];
const KEY_MANAGEMENT_ALGS = [
  "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW",
  "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW",
  "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
];
/** biscuit `jwa::Algorithm` (signature, key management, content encryption). EdDSA is not among them. */
const BISCUIT_ALGS = new Set([...SIGNATURE_ALGS, ...KEY_MANAGEMENT_ALGS, ...CONTENT_ENCRYPTION_ALGS]);
/** biscuit `jwa::SignatureAlgorithm`. */
export const BISCUIT_SIGNATURE_ALGS: ReadonlySet<string> = new Set(SIGNATURE_ALGS);
/** biscuit `jwk::EllipticCurve` (used for both EC and OKP keys). */
const BISCUIT_CURVES = new Set(["P-256", "P-384", "P-521", "Ed25519", "Ed448"]);

/** openidconnect `CoreJwsSigningAlgorithm` + `CoreJweContentEncryptionAlgorithm` + "none". */
const OIDC_ALGS = new Set([
  ...SIGNATURE_ALGS, "EdDSA", ...CONTENT_ENCRYPTION_ALGS,
]);
const OIDC_KTYS = new Set(["EC", "RSA", "oct", "OKP"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `data_encoding::BASE64URL_NOPAD`: url alphabet, no padding, canonical trailing bits. */
export function isStrictBase64Url(v: unknown): boolean {
  if (typeof v !== "string" || !/^[A-Za-z0-9_-]*$/.test(v)) return false;
  const rem = v.length % 4;
  if (rem === 1) return false;
  if (rem === 0) return true;
  const last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(v[v.length - 1]!);
  // 2 chars carry 12 bits for 8 (4 spare), 3 chars carry 18 bits for 16 (2 spare): spare bits must be zero.
  return rem === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0;
}

/** `Option<T>` fields: absent or null mean None. */
function present(key: Record<string, unknown>, name: string): boolean {
  return key[name] !== undefined && key[name] !== null;
}

function optionalString(key: Record<string, unknown>, name: string): string | null {
  return !present(key, name) || typeof key[name] === "string" ? null : `'${name}' is not a string`;
}

function optionalB64(key: Record<string, unknown>, name: string): boolean {
  return !present(key, name) || isStrictBase64Url(key[name]);
}

/** Why biscuit cannot parse this JWK, or null when it can. */
export function biscuitKeyError(key: unknown): string | null {
  if (!isObject(key)) return "not a JSON object";
  for (const name of ["use", "kid", "x5u", "x5t"]) {
    const err = optionalString(key, name);
    if (err) return err;
  }
  if (present(key, "key_ops")) {
    const ops = key["key_ops"];
    if (!Array.isArray(ops) || !ops.every((o) => typeof o === "string")) return "'key_ops' is not an array of strings";
  }
  if (present(key, "x5c")) {
    const chain = key["x5c"];
    if (!Array.isArray(chain) || !chain.every((c) => typeof c === "string")) return "'x5c' is not an array of strings";
  }
  if (present(key, "alg") && !(typeof key["alg"] === "string" && BISCUIT_ALGS.has(key["alg"]))) {
    return `unknown 'alg' ${JSON.stringify(key["alg"])}`;
  }
  const kty = key["kty"];
  switch (kty) {
    case "EC":
      if (typeof key["crv"] !== "string" || !BISCUIT_CURVES.has(key["crv"])) return "EC key with an unknown 'crv'";
      if (!isStrictBase64Url(key["x"]) || !isStrictBase64Url(key["y"]) || !optionalB64(key, "d")) {
        return "EC key 'x'/'y'/'d' is not base64url";
      }
      return null;
    case "RSA": {
      if (!isStrictBase64Url(key["n"]) || !isStrictBase64Url(key["e"])) return "RSA key 'n'/'e' is not base64url";
      for (const name of ["d", "p", "q", "dp", "dq", "qi"]) if (!optionalB64(key, name)) return `RSA key '${name}' is not base64url`;
      if (present(key, "oth")) {
        const oth = key["oth"];
        const okOth =
          Array.isArray(oth) &&
          oth.every((o) => isObject(o) && isStrictBase64Url(o["r"]) && isStrictBase64Url(o["d"]) && isStrictBase64Url(o["t"]));
        if (!okOth) return "RSA key 'oth' is malformed";
      }
      return null;
    }
    case "oct":
      return isStrictBase64Url(key["k"]) ? null : "oct key 'k' is not base64url";
    case "OKP":
      if (typeof key["crv"] !== "string" || !BISCUIT_CURVES.has(key["crv"])) return "OKP key with an unknown 'crv'";
      return isStrictBase64Url(key["x"]) && optionalB64(key, "d") ? null : "OKP key 'x'/'d' is not base64url";
    default:
      return `unknown 'kty' ${JSON.stringify(kty)}`;
  }
}

/** Why openidconnect would skip this JWK, or null when it keeps it. */
export function oidcKeyError(key: unknown): string | null {
  if (!isObject(key)) return "not a JSON object";
  if (typeof key["kty"] !== "string" || !OIDC_KTYS.has(key["kty"])) return `unknown 'kty' ${JSON.stringify(key["kty"])}`;
  for (const name of ["use", "kid"]) {
    const err = optionalString(key, name);
    if (err) return err;
  }
  if (present(key, "alg") && !(typeof key["alg"] === "string" && OIDC_ALGS.has(key["alg"]))) {
    return `unrecognized 'alg' ${JSON.stringify(key["alg"])}`;
  }
  // n, e, crv, x, y, d, k that do not parse become None in openidconnect: they never make it skip a key.
  return null;
}

function keysOf(json: unknown): Jwk[] | string {
  if (!isObject(json)) return "the JWKS is not a JSON object";
  const keys = json["keys"];
  if (!Array.isArray(keys)) return "the JWKS has no 'keys' array";
  return keys as Jwk[];
}

/** customJwt (biscuit): every key must parse. */
export function parseStrictJwks(json: unknown): ParseResult {
  const keys = keysOf(json);
  if (typeof keys === "string") return { ok: false, error: keys };
  for (let i = 0; i < keys.length; i++) {
    const err = biscuitKeyError(keys[i]);
    if (err) return { ok: false, error: `key ${i}: ${err}` };
  }
  return { ok: true, set: { keys, skipped: 0 } };
}

/** OIDC (openidconnect): keep the keys that parse, count the rest. */
export function parseLenientJwks(json: unknown): ParseResult {
  const keys = keysOf(json);
  if (typeof keys === "string") return { ok: false, error: keys };
  const kept = keys.filter((k) => oidcKeyError(k) === null);
  return { ok: true, set: { keys: kept, skipped: keys.length - kept.length } };
}
