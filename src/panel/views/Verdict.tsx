/**
 * The inspected token's headline: what the server did with it when it did something
 * (observed: identity advanced, AuthError, HTTP 401/2xx), else the prediction; the prediction always beside it,
 * with the backend's exact expected error. Test hooks: `data-verdict`, `data-verdict-source`.
 */
import type { Provider } from "../../core/config/types";
import type { TokenUse } from "../../core/session/types";
import type { VerdictKind } from "../../core/verdict/types";
import { outcome, prediction, SOURCE_LABEL, type Prediction } from "../state/prediction";
import { inspectedToken } from "../state/selection";
import { FetchKeys } from "./FetchKeys";
import { Truncated } from "./Truncated";

const LABEL: Record<VerdictKind, string> = { accepted: "✔ Accepted", rejected: "✖ Rejected", unknown: "? Unknown" };

export function VerdictView() {
  const inspected = inspectedToken.value;
  const o = outcome.value;
  if (!inspected || !o) return null;
  const p = prediction.value;
  const use = inspected.use;
  const done = p.state === "done" ? p : null;
  return (
    <div
      class={`verdict ${o.verdict}`}
      data-testid="verdict"
      data-verdict={o.verdict}
      data-verdict-source={o.source}
      data-predicted={o.predicted ?? "none"}
      data-state={p.state}
      data-reason={p.state === "no-providers" ? "no-providers" : p.state === "failed" ? "error" : undefined}
      data-step={done?.verdict.step}
    >
      <div class="headline">
        <strong data-testid="verdict-label">{LABEL[o.verdict]}</strong>{" "}
        <span data-testid="verdict-source">{o.source === "observed" ? observedText(use) : "predicted (the server has not answered this token yet)"}</span>
        {o.mismatch && (
          <span class="mismatch" data-testid="verdict-mismatch">
            {" "}
            — ⚠ the prediction says {o.predicted}
          </span>
        )}
      </div>
      <PredictionLine p={p} />
      {o.source === "observed" && o.predicted !== null && o.predicted !== "unknown" && o.predicted !== o.verdict && !o.mismatch && (
        <div class="muted" data-testid="verdict-time-edge">
          The prediction is for now: the token crossed one of its time limits (exp, or nbf/iat with the customJwt
          leeway) since it was sent, so the two need not agree.
        </div>
      )}
      {done?.verdict.provider && (
        <div class="muted" data-testid="verdict-provider">
          matched provider #{done.verdict.provider.index}: <Truncated text={describeProvider(done.verdict.provider)} max={160} />
        </div>
      )}
      {done?.verdict.expectedError && (
        <details class="expected" data-testid="expected-error" data-code={done.verdict.expectedError.code} open={o.source === "predicted"}>
          <summary>
            Backend will answer <span class="badge">{done.verdict.expectedError.code}</span>{" "}
            <span class="muted">(HTTP {done.verdict.expectedError.httpStatus})</span>
          </summary>
          <pre class="backend-text" data-testid="expected-message">
            {done.verdict.expectedError.message.length > 4000
              ? done.verdict.expectedError.message.slice(0, 4000) + "…"
              : done.verdict.expectedError.message}
          </pre>
        </details>
      )}
      {/* Every key fetch and refusal is shown, not only when a step is incomplete. */}
      <FetchKeys />
    </div>
  );
}

function observedText(use: TokenUse): string {
  const where = use.connection !== undefined ? "on the sync socket" : `over HTTP (request #${use.request ?? "?"})`;
  if (use.outcome === "accepted") {
    return use.connection !== undefined ? `by the server: identity advanced ${where} (observed)` : `by the server: HTTP 2xx ${where} (observed)`;
  }
  return use.connection !== undefined ? `by the server: AuthError ${where} (observed)` : `by the server: HTTP 401 ${where} (observed)`;
}

/** The prediction, in one line beside the headline. */
function PredictionLine({ p }: { p: Prediction }) {
  if (p.state === "none") return null;
  let text: string;
  if (p.state === "no-providers") {
    text = `unknown — the providers configured on ${p.deployment || "this deployment"} are not known yet: they are learned from a dev deployment's NoAuthProvider error, or paste convex/auth.config.ts in the Config section.`;
  } else if (p.state === "running") {
    text = `checking against ${SOURCE_LABEL[p.source]}…`;
  } else if (p.state === "failed") {
    text = `unknown — the prediction failed: ${p.error}`;
  } else {
    text = `${p.verdict.verdict} at step “${p.verdict.step}”, against ${SOURCE_LABEL[p.source]}`;
  }
  return (
    <div class="muted prediction" data-testid="verdict-prediction">
      Prediction: <Truncated text={text} max={240} />
    </div>
  );
}

function describeProvider(p: Provider): string {
  if (p.type === "oidc") return `OIDC ${p.domain} (applicationID ${p.applicationID})`;
  return `customJwt ${p.issuer}${p.applicationID ? ` (applicationID ${p.applicationID})` : " (no applicationID)"}`;
}
