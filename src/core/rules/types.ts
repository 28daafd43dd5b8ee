/**
 * Findings: the product's public vocabulary (docs/findings.md). IDs are stable; never rename one.
 */

export type Severity = "error" | "warning" | "info";

/** Token and provider findings (docs/findings.md, "Token and provider findings"). */
export type TokenFindingId =
  | "not-a-jwt"
  | "jwe-token"
  | "iss-missing"
  | "no-providers"
  | "iss-mismatch"
  | "aud-missing"
  | "aud-mismatch"
  | "oidc-extra-audience"
  | "alg-unsupported"
  | "hs-symmetric"
  | "kid-missing"
  | "kid-not-in-jwks"
  | "signature-invalid"
  | "typ-at-jwt"
  | "oidc-claim-type"
  | "token-expired"
  | "token-not-yet-valid"
  | "sub-missing"
  | "exp-missing"
  | "iat-missing"
  | "lifetime-too-short"
  | "discovery-failed"
  | "discovery-issuer-mismatch"
  | "jwks-unreachable"
  | "identity-preview"
  /** A step of the procedure could not be checked (offline, fetch policy said no): verdict is unknown. */
  | "check-incomplete";

/** Config findings (docs/findings.md, "Config findings"). */
export type ConfigFindingId =
  | "config-env-unresolved"
  | "config-application-id-casing"
  | "config-domain-and-issuer"
  | "config-bad-type"
  | "config-bad-algorithm"
  | "config-invalid-url"
  | "config-shared-issuer-no-aud"
  | "config-no-application-id"
  /** The file could not be read as a provider list at all (syntax error, no default export, unknown helper). */
  | "config-unreadable";

export type HintFindingId =
  | "hint-clerk-template"
  | "hint-workos-aud"
  | "hint-auth0-id-token"
  | "hint-better-auth"
  | "hint-convex-auth";

/** Session findings (docs/findings.md, "Session findings"). */
export type SessionFindingId =
  | "admin-key-exposed"
  | "no-token-sent"
  | "auth-cleared"
  | "queries-before-auth"
  | "token-accepted"
  | "token-rejected"
  | "identity-expired"
  | "same-token-on-refresh"
  | "refresh-storm"
  | "client-gave-up"
  | "refresh-schedule"
  | "clock-skew"
  | "http-auth-missing"
  | "http-auth-rejected"
  | "identity-mismatch"
  | "bad-auth-scheme"
  | "token-fetch-stalled"
  | "stale-token-on-reconnect"
  /** The server's answer to a token differs from the prediction for the same moment. */
  | "prediction-mismatch"
  /** The hook missed a socket (it predates the page load): offer "Reload to capture". */
  | "socket-missed"
  /** A bounded buffer dropped events; never a silent loss. */
  | "events-dropped";

export type FindingId = TokenFindingId | ConfigFindingId | HintFindingId | SessionFindingId;

/** Where a finding came from. All fields optional: a CLI token check has only `claim`/`header`. */
export interface Evidence {
  /** JWT claim name (`iss`, `aud`, …) or header field (`header.alg`). */
  claim?: string;
  /** Connection id in the session model, or in an `analyze` result. */
  connection?: string;
  /** Index of the frame within that connection's frame list. */
  frame?: number;
  /** Index of the HTTP request within the session's request list. */
  request?: number;
  /** Index of the provider in the config (file order). */
  provider?: number;
  /** A short, already-redacted value worth showing next to the finding (never a raw token). */
  value?: string;
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** One sentence, specific: the actual values. */
  message: string;
  /** What to change, naming the file, dashboard setting or provider setting. */
  fix: string;
  /** A docs.convex.dev URL where one fits. */
  docs?: string;
  evidence?: Evidence;
}
