/**
 * Every finding the panel shows, in one list: session findings (core reducer), the inspected token's verdict
 * findings, config findings for deployments seen, and the panel's own `socket-missed`.
 */
import { computed } from "@preact/signals";
import { finding } from "../../core/rules/catalogue";
import type { Finding, Severity } from "../../core/rules/types";
import { prediction } from "./prediction";
import { parsedConfigs } from "./providers";
import { hookSeen, session } from "./session";

export interface ShownFinding {
  f: Finding;
  /** Where it came from, for grouping and the data-source attribute. */
  source: "session" | "verdict" | "config" | "panel";
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export const allFindings = computed<ShownFinding[]>(() => {
  const out: ShownFinding[] = [];
  const seen = new Set<string>();
  const add = (f: Finding, source: ShownFinding["source"]) => {
    const key = `${f.id}\u0000${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ f, source });
  };
  if (hookSeen.value === false) {
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
  if (p.state === "done") for (const f of p.verdict.findings) add(f, "verdict");
  // Without a provider list the verdict view already says so; show only what the token itself tells.
  if (p.state === "no-providers" && p.partial) for (const f of p.partial.findings) if (f.id !== "check-incomplete") add(f, "verdict");
  const deployments = new Set(s.connections.map((c) => c.deployment).concat(s.requests.map((r) => r.deployment)));
  for (const [deployment, parsed] of Object.entries(parsedConfigs.value)) {
    if (!deployments.has(deployment) || "error" in parsed) continue;
    for (const f of parsed.findings) add(f, "config");
  }
  // Stable sort: errors first, then warnings, then info; original order within a severity.
  return out
    .map((x, i) => [x, i] as const)
    .sort((a, b) => ORDER[a[0].f.severity] - ORDER[b[0].f.severity] || a[1] - b[1])
    .map(([x]) => x);
});
