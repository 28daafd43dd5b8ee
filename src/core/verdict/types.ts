import type { Provider } from "../config/types";
import type { Finding } from "../rules/types";

export type VerdictKind = "accepted" | "rejected" | "unknown";

/** The backend's answer as the client would see it. */
export interface ExpectedError {
  /** The short code (HTTP JSON `code`), e.g. `NoAuthProvider`, `InvalidAuthHeader`, `Unauthenticated`. */
  code: string;
  /** The exact message (dev text, or production text with `prod`). */
  message: string;
  /** HTTP status the /api endpoints would answer with. */
  httpStatus: number;
  /**
   * The backend's `ErrorMetadata` code behind the status. Over WebSocket only Unauthenticated / BadRequest /
   * Forbidden become an `AuthError` frame; NotFound, RateLimited, Overloaded and Internal close the socket instead
   * (reference §5.1). Optional: added by verdict/messages.ts.
   */
  errorCode?:
    | "Unauthenticated"
    | "AuthUpdateFailed"
    | "BadRequest"
    | "Forbidden"
    | "NotFound"
    | "RateLimited"
    | "Overloaded"
    | "Internal";
}

/** What ctx.auth.getUserIdentity() returns (reference §7). */
export type UserIdentity = { tokenIdentifier: string; subject: string; issuer: string } & Record<string, unknown>;

/** One verification path the backend could take when the provider list is not known, and its answer. */
export interface ExpectedAlternative {
  /** The path a matching provider of this type takes (reference §3.1 OIDC, §3.2 customJwt). */
  path: "oidc" | "customJwt";
  error: ExpectedError;
}

export interface Verdict {
  verdict: VerdictKind;
  provider: (Provider & { index: number }) | null;
  /** The backend's answer; when `alternatives` is set, the first of them. */
  expectedError: ExpectedError | null;
  /**
   * Optional: set when the provider list is not known and every provider that could match rejects the token,
   * but the OIDC and customJwt paths answer with different texts — one per path that could apply, in stored
   * order (OIDC first). Which one the backend sends depends on the provider the deployment has.
   */
  alternatives?: ExpectedAlternative[];
  identity: UserIdentity | null;
  findings: Finding[];
  /** The step that decided the verdict, for the report (`parse`, `iss`, `match`, `discovery`, `jwks`, `verify`, `claims`). */
  step: string;
}

export interface VerdictOptions {
  /** Backend time, unix seconds (whole seconds, as the backend truncates). */
  now: number;
  /** Predict the redacted production texts. */
  prod?: boolean;
}
