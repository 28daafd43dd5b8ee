// customJwt verification path (reference convex-backend-auth.md §3.2): JWKS (URL or data:), biscuit's
// strict key set and kid/alg rules, then iss, aud, times with a 5 s leeway, and sub/exp.
import { compactVerify, importJWK, type JWK } from "jose";
import { fail, MSG, statusLine, type AuthFailure } from "./auth-errors.ts";
import { identityFromCustomJwt, type JsonObject } from "./identity.ts";
import { audiences, b64urlJson, contentTypeEssence, isObject, issuerMatches } from "./jwt-parts.ts";
import type { HarnessProvider } from "./validate.ts";
import { KNOWN_JWS_ALGS, type Verified } from "./verify-oidc.ts";

const JWK_KTY = new Set(["EC", "RSA", "oct", "OKP"]);
const JWK_ALGS = new Set([...KNOWN_JWS_ALGS, "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"]);

function decodeDataUrl(url: string): string | null {
  const m = /^data:([^,]*),(.*)$/s.exec(url);
  if (!m) return null;
  const isBase64 = /;base64$/i.test(m[1]!);
  try {
    return isBase64 ? Buffer.from(m[2]!, "base64").toString("utf8") : decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
}

async function fetchCustomJwks(jwksUrl: string, doFetch: typeof fetch): Promise<{ ok: true; text: string } | AuthFailure> {
  const bad = (message: string) => fail("Unauthenticated", "InvalidAuthHeader", message);
  if (jwksUrl.startsWith("data:")) {
    const text = decodeDataUrl(jwksUrl);
    return text === null ? bad(MSG.dataUrl) : { ok: true, text };
  }
  let res: Response;
  let text: string;
  try {
    res = await doFetch(jwksUrl, { headers: { Accept: "application/json" }, redirect: "follow" });
    text = await res.text();
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    return bad(`Could not fetch JWKS from URL '${jwksUrl}': ${cause}. Check that the URL is correct and accessible.`);
  }
  if (res.status !== 200) {
    return bad(`Could not fetch JWKS from URL '${jwksUrl}': HTTP ${statusLine(res.status)}. Check that the URL is correct and accessible.`);
  }
  const ct = res.headers.get("content-type");
  const essence = contentTypeEssence(ct);
  const charset = ct && /;\s*charset=([^;]+)/i.exec(ct)?.[1]?.trim().replace(/^"|"$/g, "").toLowerCase();
  if ((essence !== "application/json" && essence !== "application/jwk-set+json") || (charset && charset !== "utf-8")) {
    return bad(`Invalid Content-Type '${ct ?? "unknown"}' when fetching JWKS from '${jwksUrl}'. Expected 'application/json' or 'application/jwk-set+json'.`);
  }
  return { ok: true, text };
}

/** biscuit's JWKSet is strict: one key it cannot read fails the whole set. */
function parseStrictJwks(text: string): JsonObject[] | null {
  try {
    const set: unknown = JSON.parse(text);
    if (!isObject(set) || !Array.isArray(set.keys)) return null;
    for (const k of set.keys) {
      if (!isObject(k) || typeof k.kty !== "string" || !JWK_KTY.has(k.kty)) return null;
      if (k.alg !== undefined && !(typeof k.alg === "string" && JWK_ALGS.has(k.alg))) return null;
      if (k.use !== undefined && k.use !== "sig" && k.use !== "enc") return null;
    }
    return set.keys as JsonObject[];
  } catch {
    return null;
  }
}

export async function verifyCustomJwt(
  token: string,
  payload: JsonObject,
  provider: Extract<HarnessProvider, { type: "customJwt" }>,
  nowMs: number,
  doFetch: typeof fetch,
  redact: boolean,
): Promise<Verified> {
  const fetched = await fetchCustomJwks(provider.jwks, doFetch);
  if (!fetched.ok) return fetched;
  const keys = parseStrictJwks(fetched.text);
  if (!keys) {
    return fail("Unauthenticated", "InvalidAuthHeader", `Invalid JWKS response body from '${provider.jwks}'. The response is not valid JSON or doesn't match the expected JWKS format.`);
  }

  // decode_with_jwks: every failure here has one message, chosen by whether the header has a kid.
  let header: JsonObject = {};
  try {
    const h = b64urlJson(token.split(".")[0]);
    if (isObject(h)) header = h;
  } catch {
    // header stays empty: treated as "no kid"
  }
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const decodeFailed = (reason: string) =>
    fail("Unauthenticated", "InvalidAuthHeader", kid === undefined ? MSG.noKid
      : redact ? MSG.kidRedacted
      : `Could not decode token. The JWT's 'kid' (key ID) header is '${kid}', does this key match any key in the provider's JWKS?`, reason);
  if (token.split(".").length !== 3) return decodeFailed("not 3 parts");
  if (kid === undefined) return decodeFailed("KidMissing");
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) return decodeFailed("KeyNotFound");
  const alg = header.alg;
  const algOk = jwk.alg !== undefined ? jwk.alg === alg && alg === provider.algorithm : alg === provider.algorithm;
  if (!algOk) return decodeFailed("WrongAlgorithmHeader");
  try {
    await compactVerify(token, await importJWK(jwk as JWK, provider.algorithm), { algorithms: [provider.algorithm] });
  } catch (e) {
    return decodeFailed(`signature: ${String(e)}`);
  }

  const bad = (message: string, reason = message) => fail("Unauthenticated", "InvalidAuthHeader", message, reason);
  const iss = payload.iss as string;
  if (!issuerMatches(provider.issuer, iss)) return bad(`Invalid issuer: ${iss} != ${provider.issuer}`);
  const appId = provider.applicationID ?? null;
  if (appId !== null) {
    if (payload.aud == null) return bad(MSG.noAud);
    const aud = audiences(payload);
    if (!aud.includes(appId)) return bad(`Invalid audience: ${appId} not in [${aud.map((a) => JSON.stringify(a)).join(", ")}]`);
  }
  // biscuit with a 5 s epsilon; floats are rounded; absent claims are not checked.
  const now = Math.floor(nowMs / 1000);
  const num = (k: string) => (typeof payload[k] === "number" ? Math.round(payload[k] as number) : undefined);
  const exp = num("exp");
  if (exp !== undefined && now - exp > 5) return bad(`Could not validate token: Token expired ${now - exp} seconds ago`);
  for (const k of ["nbf", "iat"]) {
    const t = num(k);
    if (t !== undefined && t - now > 5) return bad(`Could not validate token: Token will be valid in ${t - now} seconds`);
  }
  if (typeof payload.sub !== "string" || exp === undefined) return bad(MSG.claims, "sub or exp missing");
  return { ok: true, identity: identityFromCustomJwt(payload) };
}
