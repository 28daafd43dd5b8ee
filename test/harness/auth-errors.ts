// The backend's auth error texts and classes (reference convex-backend-auth.md §4), shared by both paths.
import { STATUS_CODES } from "node:http";

/** Backend error classes that decide the HTTP status and the WebSocket close behaviour (§4, §5.1). */
export type ErrorClass = "Unauthenticated" | "BadRequest" | "Forbidden" | "NotFound" | "RateLimited" | "Overloaded" | "Internal";

export type AuthFailure = {
  ok: false;
  errorClass: ErrorClass;
  /** HTTP status for /api/* responses. */
  status: number;
  /** short_msg: the HTTP body's `code`. */
  code: string;
  /** msg: the HTTP body's `message` and the AuthError frame's `error`. */
  message: string;
  /** Why, for harness logs and tests only; the backend never sends this. */
  reason: string;
};

const STATUS: Record<ErrorClass, number> = {
  Unauthenticated: 401, BadRequest: 400, Forbidden: 403, NotFound: 404, RateLimited: 429, Overloaded: 503, Internal: 500,
};

export function fail(errorClass: ErrorClass, code: string, message: string, reason = message): AuthFailure {
  return { ok: false, errorClass, status: STATUS[errorClass], code, message, reason };
}

export const MSG = {
  parse: "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.",
  noIss: "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers.",
  noProviderRedacted: "No auth provider found matching the given token",
  noProviderNone: "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.",
  noProviderList: "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: ",
  oidcParse: "Could not parse as OIDC ID token. Token might not be an OIDC-compliant JWT.",
  oidcVerify: "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.",
  internal: "Your request couldn't be completed. Try again later.",
  noKid: "Could not decode token. JWT may be missing a 'kid' (key ID) header.",
  kidRedacted: "Could not decode token. The JWT's 'kid' (key ID) header doesn't match any key in the provider's JWKS, or the JWT signature is invalid.",
  noAud: "Missing audience claim ('aud') in JWT payload. The JWT must include an 'aud' claim that matches your configured application ID.",
  claims: "Could not verify token claim. Check that the JWT contains valid claims and matches your auth provider configuration.",
  dataUrl: "Invalid JWKS data URL. Check that the data URL is properly formatted and contains valid base64-encoded JSON.",
  expired: "Convex token identity expired",
  badAdminKey: "The provided admin key was invalid for this instance",
} as const;

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ""}`.trim();
}

