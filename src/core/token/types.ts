/** A decoded (never verified) token. Everything the page sent is untrusted: bounded and typed here. */
export type TokenKind = "jwt" | "jwe" | "opaque" | "empty";

export interface DecodedToken {
  kind: TokenKind;
  /** Raw parts as sent (for what jose refuses). */
  raw: string;
  /** Parsed JOSE header, or null when part 1 is not base64url JSON. */
  header: Record<string, unknown> | null;
  /** Parsed payload object, or null when part 2 is not base64url JSON of an object. */
  payload: Record<string, unknown> | null;
  /** Why decoding stopped short, in one specific sentence (null when header and payload decoded). */
  problem: string | null;
  /** Registered claims whose JSON type the backend refuses (reference §0 step 1), e.g. `exp` as a string. */
  badClaimTypes: string[];
  /** The token with its signature removed, safe to show and export. */
  redacted: string;
  /** SHA-256-free fingerprint for equality checks across frames: length + last 7 chars, as convex-js logs. */
  fingerprint: string;
}

/** A claim with a human-readable time where it is a NumericDate. */
export interface ClaimView {
  name: string;
  value: unknown;
  /** ISO 8601 for iat/exp/nbf/auth_time/updated_at numbers. */
  time?: string;
  /** Relative to a given `now`, e.g. "in 3 min" / "12 s ago" (only when a `now` was supplied). */
  relative?: string;
}
