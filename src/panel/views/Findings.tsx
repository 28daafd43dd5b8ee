/** All findings: severity icon, message, fix, docs link, and an evidence link that selects the frame/token. */
import type { Evidence, Finding } from "../../core/rules/types";
import { plural } from "../../core/text/plural";
import { allFindings } from "../state/findings";
import { selectEvidence } from "../state/selection";
import { Truncated } from "./Truncated";

// Plain glyphs: emoji fonts are often missing (headless, Linux), and these read as DevTools console icons.
const ICON = { error: "✖", warning: "⚠", info: "ℹ" } as const;

export function Findings() {
  const list = allFindings.value;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const x of list) counts[x.f.severity]++;
  return (
    <div class="findings" data-testid="findings">
      <h2>
        Findings{" "}
        <span class="muted" data-testid="finding-counts">
          {plural(counts.error, "error")} · {plural(counts.warning, "warning")} · {plural(counts.info, "info", "info")}
        </span>
      </h2>
      {list.length === 0 ? (
        <div class="empty">No findings yet.</div>
      ) : (
        <ul>
          {list.map(({ f, source }, i) => (
            <FindingRow key={`${f.id}:${i}`} f={f} source={source} />
          ))}
        </ul>
      )}
    </div>
  );
}

function FindingRow({ f, source }: { f: Finding; source: string }) {
  return (
    <li
      class={`finding sev-${f.severity}`}
      data-testid="finding"
      data-id={f.id}
      data-finding-id={f.id}
      data-severity={f.severity}
      data-source={source}
    >
      <div class="finding-head">
        <span class="icon" aria-label={f.severity} title={f.severity}>
          {ICON[f.severity]}
        </span>
        <code class="finding-id">{f.id}</code>
        <span class="message" data-full={f.message}>
          <Truncated text={f.message} max={400} />
        </span>
      </div>
      <div class="fix" data-full={f.fix}>
        <span class="muted">Fix: </span>
        <Truncated text={f.fix} max={400} />
      </div>
      <div class="links">
        {f.docs && safeDocs(f.docs) && (
          <a href={f.docs} target="_blank" rel="noreferrer" data-testid="finding-docs">
            docs
          </a>
        )}
        {f.evidence && hasTarget(f.evidence) && (
          <button type="button" class="link" data-testid="finding-evidence" onClick={() => selectEvidence(f.evidence!)}>
            {evidenceLabel(f.evidence)}
          </button>
        )}
        {f.evidence?.value && (
          <span class="muted evidence-value">
            <Truncated text={f.evidence.value} max={120} />
          </span>
        )}
      </div>
    </li>
  );
}

/** Docs links come from our catalogue, but only ever open https URLs. */
function safeDocs(url: string): boolean {
  return url.startsWith("https://");
}

function hasTarget(ev: Evidence): boolean {
  return ev.connection !== undefined || ev.request !== undefined;
}

function evidenceLabel(ev: Evidence): string {
  if (ev.request !== undefined) return `HTTP request #${ev.request}`;
  const parts = [`connection ${ev.connection}`];
  if (ev.frame !== undefined) parts.push(`frame ${ev.frame}`);
  if (ev.claim) parts.push(`claim ${ev.claim}`);
  return parts.join(", ");
}
