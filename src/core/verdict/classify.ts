/**
 * classifyBackendError: any auth error text the backend sent (AuthError frame, HTTP JSON body, ConvexHttpClient's
 * `Error: {…}`, the client's `Failed to authenticate: "…"` log line, a close reason) → finding IDs, short code and a
 * human summary. Current texts (reference §4.1–§4.3) and older ones (§4.4).
 *
 * The NoAuthProvider provider list is NOT parsed here: callers that want it pass the same text to
 * `providersFromNoAuthProviderMessage` (src/core/config/no-auth-provider.ts).
 */
import type { FindingId } from "../rules/types";
import { TEXT } from "./messages";

export type ErrorEra = "current" | "older" | "unknown";

export interface Classification {
  /** Candidate causes, most likely first (the backend's text often cannot tell them apart). Empty: not an auth text. */
  ids: FindingId[];
  /** The short code (HTTP JSON `code`), inferred from the text when the transport dropped it (WebSocket). */
  code: string;
  summary: string;
  /** `current`: texts since 2025-07-19; `older`: before; `unknown`: a text both eras (or prod) share. */
  era: ErrorEra;
}

/** Bound: page data is untrusted; real messages are short (a discovery body is the only long part). */
const MAX_TEXT = 64 * 1024;

interface Rule {
  test: (t: string) => RegExpExecArray | boolean | null;
  code: string;
  era: ErrorEra;
  ids: FindingId[];
  summary: (m: RegExpExecArray | null) => string;
}

const starts = (p: string) => (t: string) => t.startsWith(p);
const exact = (p: string) => (t: string) => t === p;
const re = (r: RegExp) => (t: string) => r.exec(t);

const RULES: Rule[] = [
  // ── current texts ──────────────────────────────────────────────────────────────────────────────
  { test: exact(TEXT.parsePayload), code: "InvalidAuthHeader", era: "current", ids: ["not-a-jwt", "jwe-token"], summary: () => "The token is not a JWT the backend can read (payload not base64url JSON, or a registered claim has the wrong type)." },
  { test: exact(TEXT.missingIss), code: "InvalidAuthHeader", era: "current", ids: ["iss-missing"], summary: () => "The token has no iss claim." },
  { test: exact(TEXT.noProviderNone), code: "NoAuthProvider", era: "current", ids: ["no-providers"], summary: () => "The deployment has no auth providers configured (convex/auth.config.ts missing or not pushed)." },
  { test: starts(TEXT.noProviderListPrefix), code: "NoAuthProvider", era: "current", ids: ["iss-mismatch", "aud-mismatch", "aud-missing"], summary: () => "No configured provider matches the token's iss (and aud, where the provider has an applicationID); the message lists the configured providers." },
  { test: exact(TEXT.noProviderProd), code: "NoAuthProvider", era: "unknown", ids: ["iss-mismatch", "aud-mismatch", "aud-missing"], summary: () => "No configured provider matches the token's iss / aud (production or older backend: the provider list is not shown)." },
  { test: re(/^Auth provider discovery of (.*?) failed: (\d{3}) /s), code: "AuthProviderDiscoveryFailed", era: "current", ids: ["discovery-failed", "jwks-unreachable"], summary: (m) => `OIDC discovery (or its JWKS) for ${m?.[1] ?? "the issuer"} answered HTTP ${m?.[2] ?? "?"}${m?.[2] === "200" ? " with a wrong Content-Type" : ""}.` },
  { test: re(/^Auth provider discovery of (.*) failed$/s), code: "AuthProviderDiscoveryFailed", era: "current", ids: ["discovery-failed", "discovery-issuer-mismatch", "jwks-unreachable"], summary: (m) => `OIDC discovery for ${m?.[1] ?? "the issuer"} failed: unreachable, not JSON, or its issuer is not byte-for-byte the token's iss.` },
  { test: exact(TEXT.oidcParse), code: "InvalidAuthHeader", era: "current", ids: ["oidc-claim-type", "iat-missing", "sub-missing", "exp-missing"], summary: () => "The token is not an OIDC ID token: sub/exp/iat missing, or a standard claim has the wrong JSON type (e.g. email_verified as a string)." },
  { test: exact(TEXT.oidcVerify), code: "Unauthenticated", era: "current", ids: ["signature-invalid", "token-expired", "oidc-extra-audience", "typ-at-jwt", "alg-unsupported", "kid-missing", "kid-not-in-jwks", "hs-symmetric"], summary: () => "OIDC verification failed: signature, key selection, algorithm, typ, an extra audience, or expiry (the backend does not say which)." },
  { test: exact(TEXT.internal), code: "InternalServerError", era: "unknown", ids: [], summary: () => "An internal error (for auth: e.g. an OIDC token whose iss has no scheme)." },
  { test: exact(TEXT.jwksDataUrl), code: "InvalidAuthHeader", era: "current", ids: ["jwks-unreachable"], summary: () => "The customJwt provider's data: JWKS URL does not decode." },
  { test: re(/^Could not fetch JWKS from URL '(.*)': HTTP (\d{3}) (.*)\. Check that the URL is correct and accessible\.$/s), code: "InvalidAuthHeader", era: "current", ids: ["jwks-unreachable"], summary: (m) => `The customJwt JWKS ${m?.[1] ?? ""} answered HTTP ${m?.[2] ?? "?"} ${m?.[3] ?? ""}.` },
  { test: re(/^Could not fetch JWKS from URL '(.*)': (.*)\. Check that the URL is correct and accessible\.$/s), code: "InvalidAuthHeader", era: "current", ids: ["jwks-unreachable"], summary: (m) => `The customJwt JWKS ${m?.[1] ?? ""} could not be fetched: ${m?.[2] ?? ""}.` },
  { test: re(/^Invalid Content-Type '(.*)' when fetching JWKS from '(.*)'\. Expected/s), code: "InvalidAuthHeader", era: "current", ids: ["jwks-unreachable"], summary: (m) => `The customJwt JWKS ${m?.[2] ?? ""} has Content-Type '${m?.[1] ?? ""}' (needs application/json or application/jwk-set+json).` },
  { test: re(/^Invalid JWKS response body from '(.*)'\./s), code: "InvalidAuthHeader", era: "current", ids: ["jwks-unreachable"], summary: (m) => `The customJwt JWKS ${m?.[1] ?? ""} is not valid JSON or has a key biscuit cannot parse.` },
  { test: re(/^Could not decode token\. The JWT's 'kid' \(key ID\) header is '(.*)', does this key match any key in the provider's JWKS\?$/s), code: "InvalidAuthHeader", era: "current", ids: ["kid-not-in-jwks", "signature-invalid", "alg-unsupported"], summary: (m) => `customJwt decode failed for kid '${m?.[1] ?? ""}': the kid is not in the JWKS, the alg differs from the configured algorithm, or the signature is invalid.` },
  { test: exact(TEXT.decodeKidProd), code: "InvalidAuthHeader", era: "current", ids: ["kid-not-in-jwks", "signature-invalid", "alg-unsupported"], summary: () => "customJwt decode failed (production text): the kid is not in the JWKS, the alg differs, or the signature is invalid." },
  { test: exact(TEXT.decodeNoKid), code: "InvalidAuthHeader", era: "current", ids: ["kid-missing"], summary: () => "customJwt decode failed and the token has no kid header." },
  { test: re(/^Invalid issuer: (.*) != (.*)$/s), code: "InvalidAuthHeader", era: "current", ids: ["iss-mismatch"], summary: (m) => `The token's iss ${m?.[1] ?? ""} is not the configured issuer ${m?.[2] ?? ""}.` },
  { test: exact(TEXT.missingAud), code: "InvalidAuthHeader", era: "current", ids: ["aud-missing"], summary: () => "The token has no aud but the customJwt provider has an applicationID." },
  { test: re(/^Invalid audience: (.*) not in (\[.*\])$/s), code: "InvalidAuthHeader", era: "current", ids: ["aud-mismatch"], summary: (m) => `The token's aud ${m?.[2] ?? ""} does not contain the applicationID ${m?.[1] ?? ""}.` },
  { test: re(/^Could not validate token: Token expired (-?\d+) seconds ago$/), code: "InvalidAuthHeader", era: "current", ids: ["token-expired"], summary: (m) => `The customJwt token expired ${m?.[1] ?? "?"} s ago (beyond the 5 s leeway).` },
  { test: re(/^Could not validate token: Token will be valid in (-?\d+) seconds$/), code: "InvalidAuthHeader", era: "current", ids: ["token-not-yet-valid"], summary: (m) => `The customJwt token's nbf or iat is ${m?.[1] ?? "?"} s in the future (beyond the 5 s leeway).` },
  { test: re(/^Could not validate token: (.+)$/s), code: "InvalidAuthHeader", era: "current", ids: ["token-expired", "token-not-yet-valid"], summary: (m) => `The customJwt time check failed: ${m?.[1] ?? ""}.` },
  { test: exact(TEXT.claimsMissing), code: "InvalidAuthHeader", era: "current", ids: ["sub-missing", "exp-missing"], summary: () => "The customJwt token lacks sub or exp." },
  // ── session / header texts ────────────────────────────────────────────────────────────────────
  { test: exact(TEXT.identityExpired), code: "TokenExpired", era: "unknown", ids: ["identity-expired", "token-expired"], summary: () => "The accepted identity expired during the session (now >= exp, no leeway); the client must refresh its token." },
  { test: exact(TEXT.invalidAdminKey), code: "InvalidAdminKey", era: "unknown", ids: ["bad-auth-scheme"], summary: () => "The Authorization header is neither `Bearer <jwt>` nor `Convex <admin key>`." },
  { test: exact(TEXT.badAdminKey), code: "BadAdminKey", era: "unknown", ids: ["bad-auth-scheme", "admin-key-exposed"], summary: () => "An admin key (Authorization: Convex … / tokenType Admin) was sent and is not valid for this deployment; a user JWT sent this way gets the same error." },
  { test: exact(TEXT.malformedAuthorization), code: "HeaderParseFailure", era: "unknown", ids: ["bad-auth-scheme"], summary: () => "The `Convex <key>:<attributes>` header (act as user) is malformed." },
  { test: exact(TEXT.invalidAuthenticationHeader), code: "InvalidHeaderFailure", era: "unknown", ids: ["bad-auth-scheme"], summary: () => "The Authorization header is shorter than 7 bytes." },
  { test: re(/^Failed to parse header (.*)$/s), code: "HeaderParseFailure", era: "unknown", ids: ["bad-auth-scheme"], summary: () => "The Authorization header is not visible ASCII." },
  // ── 2025-07-09 … 2025-07-19 texts ─────────────────────────────────────────────────────────────
  { test: re(/^Could not decode token\. The JWT's 'kid' \(key ID\) header is '(.*)' but this doesn't match any key in the provider's JWKS\.$/s), code: "InvalidAuthHeader", era: "older", ids: ["kid-not-in-jwks", "signature-invalid", "alg-unsupported"], summary: (m) => `customJwt decode failed for kid '${m?.[1] ?? ""}'.` },
  { test: exact("Could not decode token. The JWT is missing a 'kid' (key ID) header, or the JWT signature is invalid."), code: "InvalidAuthHeader", era: "older", ids: ["kid-missing", "signature-invalid"], summary: () => "customJwt decode failed: no kid, or an invalid signature." },
  { test: starts("Could not validate token. This often happens due to timing issues"), code: "InvalidAuthHeader", era: "older", ids: ["token-expired", "token-not-yet-valid"], summary: () => "The customJwt time check failed (exp / nbf / iat)." },
  // ── older texts (before 2025-07-09) ───────────────────────────────────────────────────────────
  { test: exact("Could not parse JWT payload"), code: "InvalidAuthHeader", era: "older", ids: ["not-a-jwt", "jwe-token"], summary: () => "The token is not a JWT the backend can read." },
  { test: exact("Missing issuer in JWT payload"), code: "InvalidAuthHeader", era: "older", ids: ["iss-missing"], summary: () => "The token has no iss claim." },
  { test: exact("Missing audience in JWT payload"), code: "InvalidAuthHeader", era: "older", ids: ["aud-missing"], summary: () => "The token has no aud (backends before 2025-07-19 required aud even for customJwt without applicationID)." },
  { test: exact("Could not parse as id token"), code: "InvalidAuthHeader", era: "older", ids: ["oidc-claim-type", "iat-missing", "sub-missing", "exp-missing"], summary: () => "The token is not an OIDC ID token." },
  { test: exact("Could not verify token claim"), code: "Unauthenticated", era: "older", ids: ["signature-invalid", "token-expired", "oidc-extra-audience", "typ-at-jwt", "alg-unsupported", "kid-missing", "kid-not-in-jwks", "hs-symmetric"], summary: () => "OIDC verification failed (older backend text)." },
  { test: exact("Invalid auth jwks response body"), code: "InvalidAuthHeader", era: "older", ids: ["jwks-unreachable"], summary: () => "The customJwt JWKS body is not a valid JWKS." },
  { test: exact("Could not decode token"), code: "InvalidAuthHeader", era: "older", ids: ["kid-missing", "kid-not-in-jwks", "signature-invalid", "alg-unsupported"], summary: () => "customJwt decode failed: no kid, unknown kid, alg mismatch or bad signature." },
  { test: exact("Could not validate token"), code: "InvalidAuthHeader", era: "older", ids: ["token-expired", "token-not-yet-valid"], summary: () => "The customJwt time check failed (older backends allowed no leeway)." },
  { test: exact("Invalid JWKS URL"), code: "InvalidAuthHeader", era: "older", ids: ["jwks-unreachable"], summary: () => "The customJwt jwks URL is invalid." },
  { test: re(/^Could not fetch JWKS: (.+)$/s), code: "InvalidAuthHeader", era: "older", ids: ["jwks-unreachable"], summary: (m) => `The customJwt JWKS could not be fetched: ${m?.[1] ?? ""}.` },
  { test: exact("Could not fetch JWKS"), code: "InvalidAuthHeader", era: "older", ids: ["jwks-unreachable"], summary: () => "The customJwt JWKS could not be fetched." },
  { test: exact("Invalid Content-Type when fetching JWKS"), code: "InvalidAuthHeader", era: "older", ids: ["jwks-unreachable"], summary: () => "The customJwt JWKS has the wrong Content-Type." },
];

/** Short codes alone (a WebSocket close reason carries only these). A Map: the key is page text (`__proto__`…). */
const CODE_ONLY = new Map<string, { ids: FindingId[]; summary: string }>([
  ["AuthProviderDiscoveryFailed", { ids: ["discovery-failed"], summary: "OIDC discovery failed (the close reason carries only the code)." }],
  ["NoAuthProvider", { ids: ["iss-mismatch", "aud-mismatch", "aud-missing"], summary: "No configured provider matches the token." }],
  ["InvalidAuthHeader", { ids: ["not-a-jwt"], summary: "The backend refused the token (InvalidAuthHeader)." }],
  ["InternalServerError", { ids: [], summary: "An internal server error." }],
]);

/** Peel transport wrappers: `Error: `, `Failed to authenticate: "…", check…`, and a `{code,message}` JSON body. */
function unwrap(text: string): { message: string; code: string | null } {
  let t = text.trim();
  let code: string | null = null;
  for (let i = 0; i < 4; i++) {
    const before = t;
    if (t.startsWith("Error: ")) t = t.slice(7).trim();
    const fa = /^Failed to authenticate: "([^]*)", check your server auth config$/.exec(t);
    if (fa) t = (fa[1] ?? "").replace(/\\"/g, '"');
    if (t.startsWith("{")) {
      try {
        const j = JSON.parse(t) as unknown;
        if (j && typeof j === "object") {
          const o = j as Record<string, unknown>;
          if (typeof o.code === "string") code = o.code;
          if (typeof o.message === "string") t = o.message;
          else if (typeof o.error === "string") t = o.error; // an AuthError frame pasted whole
        }
      } catch {
        // Not JSON after all: classify the text as it is.
      }
    }
    if (t === before) break;
  }
  return { message: t, code };
}

/** Classify a backend auth error text. Never throws; unknown text gives `ids: []`. */
export function classifyBackendError(text: string): Classification {
  const input = typeof text === "string" ? text.slice(0, MAX_TEXT) : "";
  const { message, code } = unwrap(input);
  for (const rule of RULES) {
    const r = rule.test(message);
    if (!r) continue;
    const m = typeof r === "object" ? r : null;
    return { ids: [...rule.ids], code: code ?? rule.code, summary: rule.summary(m), era: rule.era };
  }
  const byCode = CODE_ONLY.get(code ?? message);
  if (byCode) return { ids: [...byCode.ids], code: code ?? message, summary: byCode.summary, era: "unknown" };
  return {
    ids: [],
    code: code ?? "Unknown",
    summary: `Not a known Convex auth error text: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`,
    era: "unknown",
  };
}
