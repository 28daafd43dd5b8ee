/** The predicted verdict for the inspected token, with the backend's exact expected error. */
import type { Provider } from "../../core/config/types";
import type { TokenUse } from "../../core/session/types";
import { prediction } from "../state/prediction";
import { FetchKeys } from "./FetchKeys";
import { Truncated } from "./Truncated";

const SOURCE_LABEL = {
  config: "the pasted auth.config",
  learned: "the provider list the deployment reported (NoAuthProvider)",
  none: "any provider list (this step comes before provider matching)",
} as const;

export function VerdictView({ use }: { use: TokenUse }) {
  const p = prediction.value;
  if (p.state === "none") return null;
  if (p.state === "no-providers") {
    return (
      <div class="verdict unknown" data-testid="verdict" data-verdict="unknown" data-reason="no-providers">
        <strong>Verdict: unknown</strong> — the providers configured on <Truncated text={p.deployment} max={80} /> are
        not known yet. They are learned from a dev deployment's NoAuthProvider error, or paste convex/auth.config.ts in
        the Config section below.
      </div>
    );
  }
  if (p.state === "running") {
    return (
      <div class="verdict" data-testid="verdict" data-verdict="checking">
        Checking against {SOURCE_LABEL[p.source]}…
      </div>
    );
  }
  if (p.state === "failed") {
    return (
      <div class="verdict unknown" data-testid="verdict" data-verdict="unknown" data-reason="error">
        <strong>Verdict: unknown</strong> — the prediction failed: {p.error}
      </div>
    );
  }
  const v = p.verdict;
  return (
    <div class={`verdict ${v.verdict}`} data-testid="verdict" data-verdict={v.verdict} data-step={v.step}>
      <div>
        <strong data-testid="verdict-label">
          {v.verdict === "accepted" ? "✔ Accepted" : v.verdict === "rejected" ? "✖ Rejected" : "? Unknown"}
        </strong>{" "}
        <span class="muted">
          at step “{v.step}”, against {SOURCE_LABEL[p.source]}
        </span>
      </div>
      {v.provider && (
        <div class="muted" data-testid="verdict-provider">
          matched provider #{v.provider.index}: {describeProvider(v.provider)}
        </div>
      )}
      {v.expectedError && (
        <div class="expected" data-testid="expected-error" data-code={v.expectedError.code}>
          <div>
            Backend will answer <span class="badge">{v.expectedError.code}</span>{" "}
            <span class="muted">(HTTP {v.expectedError.httpStatus})</span>:
          </div>
          <pre class="backend-text" data-testid="expected-message">
            {v.expectedError.message.length > 4000 ? v.expectedError.message.slice(0, 4000) + "…" : v.expectedError.message}
          </pre>
        </div>
      )}
      {/* Every key fetch and refusal is shown, not only when a step is incomplete. */}
      <FetchKeys />
    </div>
  );
}

function describeProvider(p: Provider): string {
  if (p.type === "oidc") return `OIDC ${p.domain} (applicationID ${p.applicationID})`;
  return `customJwt ${p.issuer}${p.applicationID ? ` (applicationID ${p.applicationID})` : " (no applicationID)"}`;
}
