// OIDC verification path (reference convex-backend-auth.md §3.1): discovery from the token's iss,
// JWKS, ID-token parse, then the openidconnect verifier, whose failures all share one message.
import { compactVerify, importJWK, type JWK } from "jose";
import { fail, MSG, statusLine, type AuthFailure, type ErrorClass } from "./auth-errors.ts";
import { identityFromOidc, type JsonObject } from "./identity.ts";
import { audiences, b64urlJson, contentTypeEssence, isObject } from "./jwt-parts.ts";

export type Verified = { ok: true; identity: JsonObject } | AuthFailure;

/** Upstream status → backend error class for discovery/JWKS failures (§4.1). */
function discoveryStatusClass(status: number): ErrorClass {
  if (status === 401) return "Unauthenticated";
  if (status === 403) return "Forbidden";
  if (status === 404) return "NotFound";
  if (status === 429) return "RateLimited";
  if (status >= 500) return "Overloaded";
  return "BadRequest";
}

/** GET a JSON document the way openidconnect does: 200, JSON content type or none. */
async function fetchOidcJson(
  url: string,
  iss: string,
  okTypes: string[],
  doFetch: typeof fetch,
): Promise<{ ok: true; body: unknown } | AuthFailure> {
  const discoveryFailed = `Auth provider discovery of ${iss} failed`;
  let res: Response;
  let text: string;
  try {
    res = await doFetch(url, { headers: { Accept: "application/json" }, redirect: "follow" });
    text = await res.text();
  } catch (e) {
    return fail("BadRequest", "AuthProviderDiscoveryFailed", discoveryFailed, `fetch ${url}: ${String(e)}`);
  }
  const essence = contentTypeEssence(res.headers.get("content-type"));
  if (res.status !== 200) {
    return fail(discoveryStatusClass(res.status), "AuthProviderDiscoveryFailed", `${discoveryFailed}: ${statusLine(res.status)} ${text}`);
  }
  if (essence !== null && !okTypes.includes(essence)) {
    return fail("BadRequest", "AuthProviderDiscoveryFailed", `${discoveryFailed}: ${statusLine(res.status)} ${text}`, `content type ${essence}`);
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return fail("BadRequest", "AuthProviderDiscoveryFailed", discoveryFailed, `${url} is not JSON`);
  }
}

const STRING_CLAIMS = ["email", "gender", "zoneinfo", "locale", "phone_number", "preferred_username", "birthdate", "azp", "nonce", "acr", "at_hash", "c_hash"];
const LOCALIZED_CLAIMS = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website"];
const BOOLEAN_CLAIMS = ["email_verified", "phone_number_verified"];
export const KNOWN_JWS_ALGS = new Set(["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA", "none"]);

/** CoreIdTokenWithCustomClaims::from_str: the claims an ID token must have, with the right JSON types. */
function oidcParseProblem(header: JsonObject, payload: JsonObject): string | null {
  if (typeof header.alg !== "string" || !KNOWN_JWS_ALGS.has(header.alg)) return "unknown alg";
  if (typeof payload.sub !== "string") return "sub missing";
  if (typeof payload.exp !== "number" || typeof payload.iat !== "number") return "exp/iat missing";
  for (const k of STRING_CLAIMS) if (payload[k] !== undefined && typeof payload[k] !== "string") return `${k} not a string`;
  for (const k of Object.keys(payload)) {
    const baseName = k.split("#")[0]!;
    if (LOCALIZED_CLAIMS.includes(baseName) && payload[k] !== null && typeof payload[k] !== "string") return `${k} not a string`;
  }
  for (const k of BOOLEAN_CLAIMS) if (payload[k] !== undefined && typeof payload[k] !== "boolean") return `${k} not a boolean`;
  const u = payload.updated_at;
  if (u !== undefined && typeof u !== "number" && typeof u !== "string") return "updated_at type";
  if (payload.address !== undefined && !isObject(payload.address)) return "address not an object";
  if (payload.auth_time !== undefined && typeof payload.auth_time !== "number") return "auth_time type";
  return null;
}

/** A key is eligible when use allows signing, kty fits the alg, and its alg (if any) equals the header's. */
function oidcKeyCompatible(key: JsonObject, alg: string): boolean {
  if (key.use !== undefined && key.use !== "sig") return false;
  if (alg === "RS256" && key.kty !== "RSA") return false;
  if (alg === "EdDSA" && !(key.kty === "OKP" && key.crv === "Ed25519")) return false;
  return key.alg === undefined || key.alg === alg;
}

export async function verifyOidc(
  token: string,
  payload: JsonObject,
  iss: string,
  applicationID: string,
  nowMs: number,
  doFetch: typeof fetch,
): Promise<Verified> {
  // IssuerUrl::new(iss) needs an absolute URL; a plain error there becomes a 500.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iss)) return fail("Internal", "InternalServerError", MSG.internal, "iss has no scheme");
  const discoveryUrl = `${iss}${iss.endsWith("/") ? "" : "/"}.well-known/openid-configuration`;
  const discovery = await fetchOidcJson(discoveryUrl, iss, ["application/json"], doFetch);
  if (!discovery.ok) return discovery;
  const doc = discovery.body;
  const discoveryFailed = fail("BadRequest", "AuthProviderDiscoveryFailed", `Auth provider discovery of ${iss} failed`);
  if (!isObject(doc) || typeof doc.jwks_uri !== "string") return { ...discoveryFailed, reason: "discovery document lacks jwks_uri" };
  if (doc.issuer !== iss) return { ...discoveryFailed, reason: `discovery issuer ${JSON.stringify(doc.issuer)} != token iss ${JSON.stringify(iss)}` };
  const jwks = await fetchOidcJson(doc.jwks_uri, iss, ["application/json", "application/jwk-set+json"], doFetch);
  if (!jwks.ok) return jwks;
  // Keys the library cannot parse are skipped (VecSkipError).
  const keys = (isObject(jwks.body) && Array.isArray(jwks.body.keys) ? jwks.body.keys : []).filter(
    (k): k is JsonObject => isObject(k) && typeof k.kty === "string",
  );

  let header: JsonObject;
  try {
    const h = b64urlJson(token.split(".")[0]);
    if (!isObject(h) || token.split(".").length !== 3) throw new Error("bad header");
    header = h;
  } catch {
    return fail("Unauthenticated", "InvalidAuthHeader", MSG.oidcParse, "header unparseable");
  }
  const parseProblem = oidcParseProblem(header, payload);
  if (parseProblem) return fail("Unauthenticated", "InvalidAuthHeader", MSG.oidcParse, parseProblem);

  const verifyFailed = (reason: string) => fail("Unauthenticated", "Unauthenticated", MSG.oidcVerify, reason);
  if (typeof header.typ === "string") {
    const t = header.typ.toLowerCase();
    const normalized = t.includes("/") ? t : `application/${t}`;
    if (normalized !== "application/jwt" && normalized !== "application/jose") return verifyFailed(`typ ${header.typ}`);
  }
  if (header.cty !== undefined) return verifyFailed("cty present");
  if (header.crit !== undefined) return verifyFailed("crit present");
  const aud = audiences(payload);
  if (aud.length === 0) return verifyFailed("missing audiences claim");
  if (!aud.includes(applicationID)) return verifyFailed("aud does not contain the application ID");
  const other = aud.find((a) => a !== applicationID);
  if (other !== undefined) return verifyFailed(`${other} is not a trusted audience`);
  const alg = header.alg as string;
  if (alg.startsWith("HS")) return verifyFailed("symmetric signatures are disallowed for public clients");
  if (alg !== "RS256" && alg !== "EdDSA") return verifyFailed(`alg ${alg} not allowed`);
  const eligible = keys.filter((k) => (header.kid === undefined || k.kid === header.kid) && oidcKeyCompatible(k, alg));
  if (eligible.length === 0) return verifyFailed("NoMatchingKey");
  if (eligible.length > 1) return verifyFailed("AmbiguousKeyId");
  try {
    await compactVerify(token, await importJWK(eligible[0] as JWK, alg), { algorithms: [alg] });
  } catch (e) {
    return verifyFailed(`signature: ${String(e)}`);
  }
  const now = Math.floor(nowMs / 1000);
  if (now >= (payload.exp as number)) return verifyFailed("expired (no leeway)");
  return { ok: true, identity: identityFromOidc(payload) };
}
