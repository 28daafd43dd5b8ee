/** `analyze --json` (README): `{ connections, findings }` plus the capture, requests, judged tokens and the config used. */
import type { AnalyzeRun } from "./analyze";
import { analysisView } from "../core/report/analysis-view";
import { redactText } from "../core/session/redact-events";
import { configJson } from "./config";

export function analysisJson(run: AnalyzeRun): Record<string, unknown> {
  const v = analysisView(run);
  return {
    capture: v.capture,
    connections: v.connections,
    requests: v.requests,
    tokens: v.tokens.map((t) => ({
      token: t.redacted,
      header: t.header,
      claims: t.claims,
      deployment: t.deployment,
      first: t.first,
      uses: t.uses,
      judgedAt: t.judgedAt,
      verdict: t.verdict,
      verdictSource: t.verdictSource,
      observed: t.observed,
      ...(t.observedError !== undefined ? { observedError: redactText(t.observedError) } : {}),
      providerSource: t.providerSource,
      providers: t.providers,
      predicted: {
        verdict: t.predicted.verdict,
        step: t.predicted.step,
        provider: t.predicted.provider,
        expectedError: t.predicted.expectedError,
        alternatives: t.predicted.alternatives ?? [],
        identity: t.predicted.identity,
      },
    })),
    findings: v.findings,
    config: configJson(run.config),
  };
}
