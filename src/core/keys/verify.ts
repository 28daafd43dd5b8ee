/**
 * Key selection exactly as the backend's libraries do it, and signature checks with jose.
 * - OIDC (openidconnect verifier, reference §3.1 step 4): exactly one compatible key.
 * - customJwt (biscuit `decode_with_jwks`, reference §3.2 step 3): the first key with the token's kid.
 * Claims (exp, nbf, aud, iss) are NOT checked here: the verdict applies the backend's own rules.
 */

import { compactVerify, importJWK } from "jose";
import type { Jwk, JwkSet } from "./types";
import { BISCUIT_SIGNATURE_ALGS } from "./jwk-parse";

/** The JOSE header fields selection reads (untrusted). */
export type JoseHeader = Readonly<Record<string, unknown>>;

export type OidcKeySelection =
  | { key: Jwk }
  | {
      error: "no-matching-key" | "ambiguous";
      /** How many keys were eligible (0 for no-matching-key, ≥2 for ambiguous). */
      candidates: number;
      /** The string kids in the set, for messages. */
      kids: string[];
    };

export type CustomJwtKeySelection =
  | { key: Jwk }
  | {
      /**
       * `unsupported-key`: the kid's key is neither RSA nor EC, which biscuit cannot verify with
       * (the backend reports it with the same "Could not decode token…" message as the others).
       */
      error: "kid-missing" | "kid-not-found" | "wrong-algorithm" | "unsupported-key";
      kids: string[];
    };

function kidsOf(jwks: JwkSet): string[] {
  return jwks.keys.map((k) => k["kid"]).filter((k): k is string => typeof k === "string");
}

/** The JWK `kty` a JWS algorithm needs (openidconnect `JwsSigningAlgorithm::key_type`). */
export function keyTypeForAlg(alg: string): string | null {
  if (/^HS(256|384|512)$/.test(alg)) return "oct";
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return "RSA";
  if (/^ES(256|384|512)$/.test(alg)) return "EC";
  if (alg === "EdDSA") return "OKP";
  return null;
}

/** openidconnect `check_key_compatibility`: `use` allows signing, `kty` fits the alg, `alg` (if any) equals it. */
export function isOidcCompatible(key: Jwk, alg: string): boolean {
  const use = key["use"];
  if (use !== undefined && use !== null && use !== "sig") return false;
  if (key["kty"] !== keyTypeForAlg(alg)) return false;
  const keyAlg = key["alg"];
  return keyAlg === undefined || keyAlg === null || keyAlg === alg;
}

export function selectOidcKey(jwks: JwkSet, header: JoseHeader): OidcKeySelection {
  const alg = header["alg"];
  const kid = typeof header["kid"] === "string" ? header["kid"] : undefined;
  const eligible =
    typeof alg !== "string"
      ? []
      : jwks.keys.filter((k) => (kid === undefined || k["kid"] === kid) && isOidcCompatible(k, alg));
  if (eligible.length === 1) return { key: eligible[0]! };
  return { error: eligible.length === 0 ? "no-matching-key" : "ambiguous", candidates: eligible.length, kids: kidsOf(jwks) };
}

export function selectCustomJwtKey(
  jwks: JwkSet,
  header: JoseHeader,
  configuredAlg: "RS256" | "ES256",
): CustomJwtKeySelection {
  const kids = kidsOf(jwks);
  const kid = header["kid"];
  if (typeof kid !== "string") return { error: "kid-missing", kids };
  const key = jwks.keys.find((k) => k["kid"] === kid);
  if (key === undefined) return { error: "kid-not-found", kids };
  const headerAlg = header["alg"];
  const keyAlg = key["alg"];
  if (keyAlg !== undefined && keyAlg !== null) {
    const isSignatureAlg = typeof keyAlg === "string" && BISCUIT_SIGNATURE_ALGS.has(keyAlg);
    if (!isSignatureAlg || keyAlg !== headerAlg || keyAlg !== configuredAlg) return { error: "wrong-algorithm", kids };
  } else if (headerAlg !== configuredAlg) {
    return { error: "wrong-algorithm", kids };
  }
  if (key["kty"] !== "RSA" && key["kty"] !== "EC") return { error: "unsupported-key", kids };
  return { key };
}

/** Only the public key material: the libraries ignore `use`/`key_ops`/`alg` at this point, WebCrypto would not. */
function publicMaterial(jwk: Jwk): Record<string, unknown> {
  const pick = (names: string[]) => Object.fromEntries(names.filter((n) => jwk[n] !== undefined).map((n) => [n, jwk[n]]));
  switch (jwk["kty"]) {
    case "RSA":
      return pick(["kty", "n", "e"]);
    case "EC":
      return pick(["kty", "crv", "x", "y"]);
    case "OKP":
      return pick(["kty", "crv", "x"]);
    default:
      return pick(["kty", "k"]);
  }
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  return typeof code === "string" ? `${code}: ${msg}` : msg;
}

/** Verify `token`'s signature with `jwk` and `alg` (jose). Claims are not checked. Never throws. */
export async function verifySignature(
  token: string,
  jwk: Jwk,
  alg: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (typeof token !== "string" || token.split(".").length !== 3) {
    return { ok: false, reason: "the token is not three dot-separated parts" };
  }
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(publicMaterial(jwk) as Parameters<typeof importJWK>[0], alg);
  } catch (err) {
    return { ok: false, reason: `the key cannot be used for ${alg}: ${reasonOf(err)}` };
  }
  try {
    await compactVerify(token, key, { algorithms: [alg] });
    return { ok: true };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return { ok: false, reason: "signature verification failed" };
    return { ok: false, reason: reasonOf(err) };
  }
}
