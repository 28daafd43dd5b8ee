/**
 * The predicted verdict for the inspected token: core's `predictVerdict` with the providers known for the
 * token's deployment. Re-runs when the token, the providers, key approvals, or the token's validity window change.
 */
import { computed, effect, signal } from "@preact/signals";
import { predictVerdict } from "../../core/verdict/predict";
import { verdictTimeEdges } from "../../core/verdict/time-edges";
import { tokenOutcome, type TokenOutcome } from "../../core/verdict/outcome";
import type { Verdict } from "../../core/verdict/types";
import type { Session, TokenUse } from "../../core/session/types";
import { serverSeconds } from "../../core/session/analyze";
import { imported } from "./imported";
import { nowSec } from "./clock";
import { keySourceFor, keysEpoch, refreshPageUrl } from "./keys";
import { parsedConfigs, learnedProviders, providersFor, type ProviderSource } from "./providers";
import { inspectedToken } from "./selection";
import { session } from "./session";

export type Prediction =
  | { state: "none" } //                                   no token to inspect
  /** We do not know the deployment's providers; `partial` is what the token alone tells (hints, lifetime). */
  | { state: "no-providers"; deployment: string; partial: Verdict | null; token: string; now: number }
  | { state: "running"; deployment: string; source: ProviderSource }
  /** `token` is the fingerprint of the token predicted; `now` the moment it was predicted for. */
  | { state: "done"; deployment: string; source: ProviderSource; verdict: Verdict; now: number; token: string }
  | { state: "failed"; deployment: string; error: string };

export const prediction = signal<Prediction>({ state: "none" });

/** Where the provider list of a prediction came from, in words. */
export const SOURCE_LABEL: Record<ProviderSource, string> = {
  config: "the pasted auth.config",
  learned: "the provider list the deployment reported (NoAuthProvider)",
  none: "any provider list (this step comes before provider matching)",
};

/**
 * The inspected token's headline: what the server did with it when it did something, else the prediction
 * (core's `tokenOutcome`). A prediction made for another token (the inspected one just changed) is ignored.
 */
export const outcome = computed<TokenOutcome | null>(() => {
  const inspected = inspectedToken.value;
  if (!inspected) return null;
  const p = prediction.value;
  const fp = inspected.use.token.fingerprint;
  const input =
    p.state === "done" && p.token === fp
      ? { verdict: p.verdict, at: p.now, against: SOURCE_LABEL[p.source] }
      : p.state === "no-providers" && p.partial && p.token === fp
        ? { verdict: p.partial, at: p.now, against: SOURCE_LABEL.none }
        : null;
  const conn = inspected.use.connection;
  const skew = conn !== undefined ? session.value.connections.find((c) => c.id === conn)?.clockSkewMs : undefined;
  return tokenOutcome(inspected.use, input, skew ?? 0);
});

/** The deployment a token was sent to. */
export function deploymentOf(use: TokenUse, s: Session): string | null {
  if (use.connection !== undefined) return s.connections.find((c) => c.id === use.connection)?.deployment ?? null;
  if (use.request !== undefined) return s.requests[use.request]?.deployment ?? null;
  return null;
}

/** Time-dependent claims change the verdict only when `now` crosses one of core's edges: re-predict then. */
function timeBucket(use: TokenUse, now: number): number {
  return verdictTimeEdges(use.token.payload ?? {}).filter((edge) => now >= edge).length;
}

let run = 0;
let lastKey = "";

/** Start the prediction loop (once, from main). */
export function startPredictions(): () => void {
  return effect(() => {
    const inspected = inspectedToken.value;
    const s = session.value;
    // Subscribe to everything the verdict depends on.
    void parsedConfigs.value;
    void learnedProviders.value;
    const epoch = keysEpoch.value;
    // A file's tokens are judged when they were sent (as `analyze` does), a live tab's now.
    const now = imported.value ? null : nowSec.value;
    if (!inspected) {
      lastKey = "";
      prediction.value = { state: "none" };
      return;
    }
    const use = inspected.use;
    predictFor(use, inspected.index, s, epoch, now ?? serverSeconds(use, s));
  });
}

function predictFor(use: TokenUse, index: number, s: Session, epoch: string, now: number): void {
  const deployment = deploymentOf(use, s) ?? "";
  const known = providersFor(deployment);
  const key = JSON.stringify([imported.value !== null, use.token.raw.length, use.token.fingerprint, index, deployment, known, epoch, timeBucket(use, now)]);
  if (key === lastKey) return;
  lastKey = key;
  const mine = ++run;
  if (known.source === "none") {
    // Core judges the provider-independent steps: a token no provider list could save is already rejected.
    const token = use.token.fingerprint;
    prediction.value = { state: "no-providers", deployment, partial: null, token, now };
    void predictVerdict(use.token.raw, null, { now, keys: null }).then((partial) => {
      if (mine !== run) return;
      prediction.value =
        partial.verdict === "rejected"
          ? { state: "done", deployment, source: "none", verdict: partial, now, token }
          : { state: "no-providers", deployment, partial, token, now };
    }, () => {});
    return;
  }
  prediction.value = { state: "running", deployment, source: known.source };
  void (async () => {
    try {
      await refreshPageUrl();
      const verdict = await predictVerdict(use.token.raw, known.providers, { now, keys: keySourceFor(known, deployment) });
      if (mine === run) prediction.value = { state: "done", deployment, source: known.source, verdict, now, token: use.token.fingerprint };
    } catch (e) {
      if (mine === run) prediction.value = { state: "failed", deployment, error: e instanceof Error ? e.message : String(e) };
    }
  })();
}
