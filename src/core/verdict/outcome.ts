/**
 * A token's verdict as the user should read it: what the server did with it when it did something (observed),
 * else the prediction. The prediction stays beside it; when the two disagree, `prediction-mismatch` says so —
 * unless a time edge (exp, nbf/iat with the customJwt leeway) lies between when the token was sent and when
 * it was predicted, because then the prediction is about a different moment than the server's answer.
 */
import { finding } from "../rules/catalogue";
import type { Finding } from "../rules/types";
import type { TokenUse } from "../session/types";
import { CUSTOM_JWT_LEEWAY_SECONDS } from "./custom-jwt";
import { verdictTimeEdges } from "./time-edges";
import type { Verdict, VerdictKind } from "./types";
import { elided } from "../text/elide";

export type VerdictSource = "observed" | "predicted";

export interface TokenOutcome {
  verdict: VerdictKind;
  source: VerdictSource;
  /** The prediction for `predictedAt` (null while none exists). */
  predicted: VerdictKind | null;
  /** Set when observed and predicted disagree for the same moment. */
  mismatch: Finding | null;
}

export interface PredictionInput {
  verdict: Verdict;
  /** Backend time the prediction was made for (unix seconds). */
  at: number;
  /** Where the provider list came from, for the mismatch message ("the pasted auth.config"). */
  against: string;
}

/** What the server did: accepted (identity advanced / HTTP 2xx), rejected (AuthError / 401), or nothing yet. */
export function observedVerdict(use: Pick<TokenUse, "outcome">): VerdictKind | null {
  return use.outcome === "accepted" || use.outcome === "rejected" ? use.outcome : null;
}

/**
 * True when the verdict could flip between `sentAt` and `predictedAt` (unix seconds). `slack` widens the window
 * for clocks that disagree (the page's and the backend's).
 */
export function timeEdgeBetween(payload: Record<string, unknown>, sentAt: number, predictedAt: number, slack = CUSTOM_JWT_LEEWAY_SECONDS): boolean {
  const lo = Math.min(sentAt, predictedAt) - slack;
  const hi = Math.max(sentAt, predictedAt) + slack;
  return verdictTimeEdges(payload).some((edge) => edge > lo && edge <= hi);
}

/**
 * `clockSkewMs`: the page clock minus server time where known (Connection.clockSkewMs); it widens the window
 * in which a time edge excuses a disagreement, since `use.t` is the page's clock and the backend judged by its own.
 */
export function tokenOutcome(
  use: Pick<TokenUse, "outcome" | "t" | "token" | "error" | "connection" | "frame" | "request">,
  prediction: PredictionInput | null,
  clockSkewMs = 0,
): TokenOutcome {
  const observed = observedVerdict(use);
  const predicted = prediction?.verdict.verdict ?? null;
  if (observed === null) return { verdict: predicted ?? "unknown", source: "predicted", predicted, mismatch: null };
  let mismatch: Finding | null = null;
  if (prediction && predicted !== null && predicted !== "unknown" && predicted !== observed) {
    const sentAt = Math.floor(use.t / 1000);
    const slack = CUSTOM_JWT_LEEWAY_SECONDS + Math.ceil(Math.abs(clockSkewMs) / 1000);
    if (!(timeCouldExplain(prediction.verdict) && timeEdgeBetween(use.token.payload ?? {}, sentAt, prediction.at, slack))) {
      mismatch = mismatchFinding(use, observed, prediction);
    }
  }
  return { verdict: observed, source: "observed", predicted, mismatch };
}

/** Findings by which a prediction rejects for time alone (the only rejections a moment's difference explains). */
const TIME_FINDINGS: ReadonlySet<string> = new Set(["token-expired", "token-not-yet-valid"]);

/**
 * A predicted rejection for any other reason (aud, iss, signature…) holds at every moment, so no time edge
 * excuses it; a predicted acceptance may differ from a time-based rejection the server gave when it was sent.
 */
function timeCouldExplain(v: Verdict): boolean {
  return v.verdict !== "rejected" || v.findings.some((f) => f.severity === "error" && TIME_FINDINGS.has(f.id));
}

function mismatchFinding(use: Pick<TokenUse, "error" | "connection" | "frame" | "request">, observed: VerdictKind, p: PredictionInput): Finding {
  const predictedText =
    p.verdict.verdict === "rejected" && p.verdict.expectedError
      ? `rejected (${p.verdict.expectedError.code} at step "${p.verdict.step}")`
      : `${p.verdict.verdict} (at step "${p.verdict.step}")`;
  const said = observed === "rejected" && use.error ? ` with "${elided(use.error, 200)}"` : "";
  const evidence = {
    ...(use.connection !== undefined ? { connection: use.connection } : {}),
    ...(use.frame !== undefined ? { frame: use.frame } : {}),
    ...(use.request !== undefined ? { request: use.request } : {}),
  };
  return finding(
    "prediction-mismatch",
    `The server ${observed} this token${said}, but checked against ${p.against} it is predicted ${predictedText}: the deployment's providers differ from that list, or the inspector is wrong.`,
    evidence,
  );
}
