/**
 * Every finding the panel shows, in one list: session findings (core reducer), the inspected token's verdict
 * findings (with `prediction-mismatch` when the server's answer differs), config findings for deployments
 * seen, and the panel's own `socket-missed` — ordered cause first (core's `orderByCause`).
 */
import { computed } from "@preact/signals";
import { finding } from "../../core/rules/catalogue";
import { orderItemsByCause } from "../../core/rules/order";
import type { Finding } from "../../core/rules/types";
import { outcome, prediction } from "./prediction";
import { parsedConfigs } from "./providers";
import { imported } from "./imported";
import { hookSeen, session } from "./session";

export interface ShownFinding {
  f: Finding;
  /** Where it came from, for grouping and the data-source attribute. */
  source: "session" | "verdict" | "config" | "panel";
}

export const allFindings = computed<ShownFinding[]>(() => {
  const out: ShownFinding[] = [];
  const seen = new Set<string>();
  const add = (f: Finding, source: ShownFinding["source"]) => {
    const key = `${f.id}\u0000${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ f, source });
  };
  // About the live tab's page, not about a file being shown.
  if (hookSeen.value === false && !imported.value) {
    add(
      finding(
        "socket-missed",
        "This page was loaded before Convex Auth Inspector could attach, so its Convex socket is invisible: the Convex client captured the original WebSocket when it was constructed.",
      ),
      "panel",
    );
  }
  const s = session.value;
  for (const f of s.findings) add(f, "session");
  const p = prediction.value;
  const mismatch = outcome.value?.mismatch;
  if (mismatch) add(mismatch, "verdict");
  if (p.state === "done") for (const f of p.verdict.findings) add(f, "verdict");
  // Without a provider list the verdict view already says so; show only what the token itself tells.
  if (p.state === "no-providers" && p.partial) for (const f of p.partial.findings) if (f.id !== "check-incomplete") add(f, "verdict");
  // Only with a config pasted: the deployments seen are a pass over every held request and connection.
  const configs = Object.entries(parsedConfigs.value);
  if (configs.length > 0) {
    const deployments = new Set(s.connections.map((c) => c.deployment).concat(s.requests.map((r) => r.deployment)));
    for (const [deployment, parsed] of configs) {
      if (!deployments.has(deployment) || "error" in parsed) continue;
      for (const f of parsed.findings) add(f, "config");
    }
  }
  return orderItemsByCause(out, (x) => x.f, (x, f) => ({ ...x, f }));
});
