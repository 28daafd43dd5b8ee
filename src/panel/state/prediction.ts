/**
 * The predicted verdict for the inspected token: core's `predictVerdict` with the providers known for the
 * token's deployment. Re-runs when the token, the providers, key approvals, or the token's validity window change.
 */
import { effect, signal } from "@preact/signals";
import { predictVerdict } from "../../core/verdict/predict";
import { verdictTimeEdges } from "../../core/verdict/time-edges";
import type { Verdict } from "../../core/verdict/types";
import type { Session, TokenUse } from "../../core/session/types";
import { nowSec } from "./clock";
import { keySourceFor, keysEpoch, refreshPageUrl } from "./keys";
import { parsedConfigs, learnedProviders, providersFor, type ProviderSource } from "./providers";
import { inspectedToken } from "./selection";
import { session } from "./session";

export type Prediction =
  | { state: "none" } //                                   no token to inspect
  /** We do not know the deployment's providers; `partial` is what the token alone tells (hints, lifetime). */
  | { state: "no-providers"; deployment: string; partial: Verdict | null }
  | { state: "running"; deployment: string; source: ProviderSource }
  | { state: "done"; deployment: string; source: ProviderSource; verdict: Verdict; now: number }
  | { state: "failed"; deployment: string; error: string };

export const prediction = signal<Prediction>({ state: "none" });

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
    const now = nowSec.value;
    if (!inspected) {
      lastKey = "";
      prediction.value = { state: "none" };
      return;
    }
    const use = inspected.use;
    const deployment = deploymentOf(use, s) ?? "";
    const known = providersFor(deployment);
    const key = JSON.stringify([use.token.raw.length, use.token.fingerprint, inspected.index, deployment, known, epoch, timeBucket(use, now)]);
    if (key === lastKey) return;
    lastKey = key;
    const mine = ++run;
    if (known.source === "none") {
      // Core judges the provider-independent steps: a token no provider list could save is already rejected.
      prediction.value = { state: "no-providers", deployment, partial: null };
      void predictVerdict(use.token.raw, null, { now, keys: null }).then((partial) => {
        if (mine !== run) return;
        prediction.value =
          partial.verdict === "rejected"
            ? { state: "done", deployment, source: "none", verdict: partial, now }
            : { state: "no-providers", deployment, partial };
      }, () => {});
      return;
    }
    prediction.value = { state: "running", deployment, source: known.source };
    void (async () => {
      try {
        await refreshPageUrl();
        const verdict = await predictVerdict(use.token.raw, known.providers, { now, keys: keySourceFor(known, deployment) });
        if (mine === run) prediction.value = { state: "done", deployment, source: known.source, verdict, now };
      } catch (e) {
        if (mine === run) prediction.value = { state: "failed", deployment, error: e instanceof Error ? e.message : String(e) };
      }
    })();
  });
}
