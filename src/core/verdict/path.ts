/** What the OIDC and customJwt verification paths share: their input and their result. */
import type { Provider } from "../config/types";
import type { FetchFailure, KeySource } from "../keys/types";
import type { Evidence, Finding } from "../rules/types";
import type { ExpectedError } from "./types";
import { SIGNATURE_REMOVED } from "../token/redact";

export interface PathContext {
  /** The token as the backend receives it (whitespace / `Bearer ` already removed). */
  token: string;
  header: Record<string, unknown> | null;
  payload: Record<string, unknown>;
  /** The token's raw `iss` (a string: step 2 passed). */
  iss: string;
  /** `aud` as a list (string → one element, missing → empty). */
  aud: string[];
  provider: Provider;
  /** Backend time, whole unix seconds. */
  now: number;
  prod: boolean;
  keys: KeySource | null;
  /**
   * Optional: the provider list is not known, and `provider` stands for every provider of its type that could
   * match this token (its issuer is the token's, its applicationID one of the token's audiences; its customJwt
   * `jwks` and `algorithm` are unknown). Only checks that hold for all of them may decide.
   */
  anyProvider?: boolean;
}

/** A step we could not check, and why (never the backend's failure). */
export interface Incomplete {
  step: string;
  reason: string;
}

export interface PathResult {
  /** The backend's error, assuming the steps in `incomplete` pass; null when nothing failed. */
  error: ExpectedError | null;
  /** The step that decided (or would decide) the verdict. */
  step: string;
  /** Why: specific IDs with actual values, plus warnings that do not change the verdict. */
  findings: Finding[];
  incomplete: Incomplete[];
}

/** Evidence pointing at the matched provider and, optionally, a claim and a short value. */
export function evidence(ctx: PathContext, claim?: string, value?: unknown): Evidence {
  const e: Evidence = { provider: ctx.provider.index };
  if (claim !== undefined) e.claim = claim;
  if (value !== undefined) e.value = short(value);
  return e;
}

/** A short, display-safe rendering of a claim value (page data is untrusted: bounded). */
export function short(value: unknown, max = 200): string {
  const s = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `kid` from the header when it is a string (biscuit/openidconnect read it as `Option<String>`). */
export function headerKid(header: Record<string, unknown> | null): string | null {
  return header && typeof header.kid === "string" ? header.kid : null;
}

/** One sentence describing a fetch failure (for findings; the backend's own text is in `expectedError`). */
export function describeFailure(f: FetchFailure): string {
  switch (f.kind) {
    case "policy":
    case "skipped":
      return f.url ? `${f.url} was not fetched: ${f.reason}` : f.reason;
    case "unreachable":
      return `${f.url} could not be reached from this machine: ${f.reason} (${f.error}); this machine's network is not the backend's, which may well reach it`;
    case "network":
      return `${f.url} could not be reached: ${f.error}`;
    case "status":
      return `${f.url} answered HTTP ${f.status}${f.statusText ? ` ${f.statusText}` : ""}`;
    case "content-type":
      return `${f.url} answered with Content-Type ${f.contentType === null ? "(none)" : `'${f.contentType}'`}`;
    case "body":
      return `${f.url} returned a body that is not a usable document: ${f.error}`;
    case "data-url":
      return `the data: URL could not be decoded: ${f.error}`;
  }
}

/**
 * A token read from a redacted export or HAR carries `[signature-removed]` where its signature was: its signature
 * cannot be checked (not "invalid": the backend saw the real one). Null when the signature is there to check.
 */
export function removedSignature(token: string): Incomplete | null {
  return token.endsWith(`.${SIGNATURE_REMOVED}`)
    ? { step: "verify", reason: "the token's signature was removed when the capture was exported (redacted), so it cannot be checked here; export with include secrets to check it" }
    : null;
}
