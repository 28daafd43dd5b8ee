/**
 * The backend's exact auth error texts (reference §4.1, `crates/authentication/src/lib.rs`), with their short
 * codes and HTTP statuses, as builders. Producing them here keeps predict and classify on one wording.
 */
import type { Provider } from "../config/types";
import { canonicalReason } from "../keys/http-status";
import type { ExpectedError } from "./types";

/** `ErrorMetadata.code` → HTTP status (reference §4 table). */
export type ErrorCode = NonNullable<ExpectedError["errorCode"]>;

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  Unauthenticated: 401,
  AuthUpdateFailed: 401,
  BadRequest: 400,
  Forbidden: 403,
  NotFound: 404,
  RateLimited: 429,
  Overloaded: 503,
  Internal: 500,
};

function err(code: string, message: string, errorCode: ErrorCode): ExpectedError {
  return { code, message, httpStatus: HTTP_STATUS[errorCode], errorCode };
}

/** Fixed texts, exactly as the backend sends them. */
export const TEXT = {
  parsePayload:
    "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.",
  missingIss:
    "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers.",
  noProviderProd: "No auth provider found matching the given token",
  noProviderNone: "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.",
  noProviderListPrefix:
    "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: ",
  oidcParse: "Could not parse as OIDC ID token. Token might not be an OIDC-compliant JWT.",
  oidcVerify:
    "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.",
  internal: "Your request couldn't be completed. Try again later.",
  jwksDataUrl:
    "Invalid JWKS data URL. Check that the data URL is properly formatted and contains valid base64-encoded JSON.",
  decodeKidProd:
    "Could not decode token. The JWT's 'kid' (key ID) header doesn't match any key in the provider's JWKS, or the JWT signature is invalid.",
  decodeNoKid: "Could not decode token. JWT may be missing a 'kid' (key ID) header.",
  missingAud:
    "Missing audience claim ('aud') in JWT payload. The JWT must include an 'aud' claim that matches your configured application ID.",
  claimsMissing:
    "Could not verify token claim. Check that the JWT contains valid claims and matches your auth provider configuration.",
  identityExpired: "Convex token identity expired",
  invalidAdminKey: "Invalid admin key",
  badAdminKey: "The provided admin key was invalid for this instance",
  malformedAuthorization: "Malformed Authorization header.",
  invalidAuthenticationHeader: "Invalid authentication header",
} as const;

/** One provider in the dev NoAuthProvider list: `OIDC(domain=…, app_id=…)` / `CustomJWT(issuer=…, app_id=…|none)`. */
export function providerListItem(p: Provider): string {
  return p.type === "oidc"
    ? `OIDC(domain=${p.domain}, app_id=${p.applicationID})`
    : `CustomJWT(issuer=${p.issuer}, app_id=${p.applicationID ?? "none"})`;
}

export const messages = {
  parsePayload: (): ExpectedError => err("InvalidAuthHeader", TEXT.parsePayload, "Unauthenticated"),
  missingIss: (): ExpectedError => err("InvalidAuthHeader", TEXT.missingIss, "Unauthenticated"),

  /** `providers` in stored order; `prod` gives the redacted text. */
  noAuthProvider(providers: readonly Provider[], prod: boolean): ExpectedError {
    if (prod) return err("NoAuthProvider", TEXT.noProviderProd, "Unauthenticated");
    if (providers.length === 0) return err("NoAuthProvider", TEXT.noProviderNone, "Unauthenticated");
    return err("NoAuthProvider", `${TEXT.noProviderListPrefix}[${providers.map(providerListItem).join(", ")}]`, "Unauthenticated");
  },

  /**
   * Discovery (or the OIDC JWKS fetch) answered with a status other than 200, or 200 with a bad content type:
   * `{status} {canonical reason} {body}`; the error code follows the upstream status.
   */
  discoveryResponse(iss: string, status: number, body: string): ExpectedError {
    return err(
      "AuthProviderDiscoveryFailed",
      `Auth provider discovery of ${iss} failed: ${status} ${canonicalReason(status)} ${body}`,
      discoveryErrorCode(status),
    );
  },
  /** Network, JSON, issuer mismatch: no detail (it goes only to the server log). */
  discoveryFailed: (iss: string): ExpectedError =>
    err("AuthProviderDiscoveryFailed", `Auth provider discovery of ${iss} failed`, "BadRequest"),

  oidcParse: (): ExpectedError => err("InvalidAuthHeader", TEXT.oidcParse, "Unauthenticated"),
  oidcVerify: (): ExpectedError => err("Unauthenticated", TEXT.oidcVerify, "Unauthenticated"),
  /** An error without ErrorMetadata, e.g. a scheme-less `iss` on the OIDC path (inferred, reference §4.1). */
  internal: (): ExpectedError => err("InternalServerError", TEXT.internal, "Internal"),

  jwksDataUrl: (): ExpectedError => err("InvalidAuthHeader", TEXT.jwksDataUrl, "Unauthenticated"),
  jwksNetwork: (jwks: string, error: string): ExpectedError =>
    err(
      "InvalidAuthHeader",
      `Could not fetch JWKS from URL '${jwks}': ${error}. Check that the URL is correct and accessible.`,
      "Unauthenticated",
    ),
  jwksStatus: (jwks: string, status: number): ExpectedError =>
    err(
      "InvalidAuthHeader",
      `Could not fetch JWKS from URL '${jwks}': HTTP ${status} ${jwksReason(status)}. Check that the URL is correct and accessible.`,
      "Unauthenticated",
    ),
  /** `contentType` null when the header was absent (printed as `unknown`). */
  jwksContentType: (jwks: string, contentType: string | null): ExpectedError =>
    err(
      "InvalidAuthHeader",
      `Invalid Content-Type '${contentType ?? "unknown"}' when fetching JWKS from '${jwks}'. Expected 'application/json' or 'application/jwk-set+json'.`,
      "Unauthenticated",
    ),
  jwksBody: (jwks: string): ExpectedError =>
    err(
      "InvalidAuthHeader",
      `Invalid JWKS response body from '${jwks}'. The response is not valid JSON or doesn't match the expected JWKS format.`,
      "Unauthenticated",
    ),

  /** Every customJwt decode/signature failure. With a `kid` the dev text names it; prod redacts it. */
  decode(kid: string | null, prod: boolean): ExpectedError {
    if (kid === null) return err("InvalidAuthHeader", TEXT.decodeNoKid, "Unauthenticated");
    if (prod) return err("InvalidAuthHeader", TEXT.decodeKidProd, "Unauthenticated");
    return err(
      "InvalidAuthHeader",
      `Could not decode token. The JWT's 'kid' (key ID) header is '${kid}', does this key match any key in the provider's JWKS?`,
      "Unauthenticated",
    );
  },
  invalidIssuer: (tokenIss: string, configured: string): ExpectedError =>
    err("InvalidAuthHeader", `Invalid issuer: ${tokenIss} != ${configured}`, "Unauthenticated"),
  missingAud: (): ExpectedError => err("InvalidAuthHeader", TEXT.missingAud, "Unauthenticated"),
  invalidAudience: (applicationID: string, audiences: readonly string[]): ExpectedError =>
    err("InvalidAuthHeader", `Invalid audience: ${applicationID} not in ${rustDebugList(audiences)}`, "Unauthenticated"),
  /** biscuit `Expired(now - exp)`. */
  tokenExpired: (secondsAgo: number): ExpectedError =>
    err("InvalidAuthHeader", `Could not validate token: Token expired ${secondsAgo} seconds ago`, "Unauthenticated"),
  /** biscuit `NotYetValid(nbf|iat - now)`. */
  tokenNotYetValid: (secondsAhead: number): ExpectedError =>
    err("InvalidAuthHeader", `Could not validate token: Token will be valid in ${secondsAhead} seconds`, "Unauthenticated"),
  claimsMissing: (): ExpectedError => err("InvalidAuthHeader", TEXT.claimsMissing, "Unauthenticated"),

  // Session and header-level texts (reference §4.2, §4.3).
  identityExpired: (): ExpectedError => err("TokenExpired", TEXT.identityExpired, "Unauthenticated"),
  invalidAdminKey: (): ExpectedError => err("InvalidAdminKey", TEXT.invalidAdminKey, "BadRequest"),
  badAdminKey: (): ExpectedError => err("BadAdminKey", TEXT.badAdminKey, "Unauthenticated"),
};

/** `ErrorMetadata::from_http_status_code`, falling back to BadRequest (reference §4.1, discovery row). */
export function discoveryErrorCode(status: number): ErrorCode {
  if (status === 401) return "Unauthenticated";
  if (status === 403) return "Forbidden";
  if (status === 404) return "NotFound";
  if (status === 429) return "RateLimited";
  if (status >= 500 && status <= 599) return "Overloaded";
  return "BadRequest";
}

/** `canonical_reason().unwrap_or("Unknown")`, as the customJwt JWKS message prints it. */
function jwksReason(status: number): string {
  const r = canonicalReason(status);
  return r.startsWith("<") ? "Unknown" : r;
}

/** Rust `{:?}` of a `&str`: quotes, and `\`, `"` and control characters escaped. */
export function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c === 0) out += "\\0";
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/** Rust `{:?}` of a `Vec<&str>`: `["a", "b"]`. */
export function rustDebugList(items: readonly string[]): string {
  return `[${items.map(rustDebugString).join(", ")}]`;
}
