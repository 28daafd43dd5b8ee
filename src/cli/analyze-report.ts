/** The human-readable `analyze` report: capture, headline, connections with their timelines, calls, tokens, findings. */
import type { AnalyzeRun } from "./analyze";
import { analysisView, type TimelineRow } from "../core/report/analysis-view";
import { placeText } from "../core/report/place-text";
import { terminalSafe } from "../core/text/escape-control";
import { plural } from "../core/text/plural";
import { configLines, counts, paint, renderFinding } from "./report";
import { describeProvider, entries } from "../core/report/words";
import { tokenSummary } from "../core/report/token-summary";
import { isoSeconds } from "../core/session/summary";

/** HTTP calls listed in the text report (the JSON has them all). */
const MAX_REQUEST_ROWS = 50;
/** Timeline rows per connection in the text report. */
const MAX_TEXT_TIMELINE = 40;


const clock = (iso: string) => iso.slice(11, 23) || iso;

export function renderAnalysis(run: AnalyzeRun, opts: { file: string; color: boolean; prod: boolean }): string {
  // One choke point: everything from the file is escaped before any line is built.
  const v = terminalSafe(analysisView(run));
  const file = terminalSafe(opts.file);
  const c = paint(opts.color);
  const out: string[] = [];
  const what = v.capture.kind === "har" ? `HAR, ${entries(v.capture.entries)}` : "inspector export";
  out.push(`Capture    ${file} (${what})`);
  out.push(
    `Convex     ${plural(v.connections.length, "sync connection")}, ${plural(v.requests.length, "HTTP call")}, ${plural(v.tokens.length, "token")}`,
  );
  const errors = v.findings.filter((f) => f.severity === "error");
  const head = errors.length
    ? c.red(c.bold("PROBLEM")) + `  ${errors[0]!.id}: ${errors[0]!.message}`
    : v.tokens.some((t) => t.verdict === "unknown")
      ? c.yellow(c.bold("UNKNOWN")) + "  a token's verdict could not be decided (see Tokens)"
      : v.connections.length + v.requests.length === 0
        ? c.dim("no Convex traffic in this file")
        : c.green(c.bold("NO ERRORS"));
  out.push(`Verdict    ${head}`);
  // The run's config paths and env names are the user's, but escaped like the rest.
  if (run.config) out.push(...configLines(terminalSafe(run.config), c));

  for (const conn of v.connections) {
    out.push("", `${c.bold("Connection")} ${conn.id}${conn.entry !== undefined ? c.dim(` (HAR entry ${conn.entry})`) : ""}  ${conn.url}`);
    out.push(
      `  client ${conn.clientVersion ?? "unknown version"}, ${conn.state === "open" && v.capture.kind === "har" ? "no close recorded (a HAR keeps none)" : conn.state}, auth ${conn.auth}${conn.identity ? `, identity ${conn.identity}` : ""}, ${plural(conn.frames, "frame")}${conn.framesDropped ? ` (+${conn.framesDropped} not kept)` : ""}`,
    );
    const rows = conn.timeline.slice(0, MAX_TEXT_TIMELINE);
    for (const r of rows) out.push(timelineLine(r, c));
    const more = conn.timeline.length - rows.length + conn.timelineOmitted;
    if (more > 0) out.push(c.dim(`    … ${more} more timeline rows (--json has ${conn.timeline.length})`));
  }
  if (v.requests.length) {
    out.push("", c.bold("HTTP calls"));
    for (const r of v.requests.slice(0, MAX_REQUEST_ROWS)) {
      const err = r.error ? ` ${"code" in r.error ? `${r.error.code}: ${r.error.message}` : r.error.raw}`.slice(0, 200) : "";
      out.push(`  #${r.index}${r.entry !== undefined ? c.dim(` entry ${r.entry}`) : ""} ${clock(r.time)} ${r.method} ${r.endpoint} ${r.status} auth=${r.schemeUnknown ? "unknown (a sanitized HAR drops Authorization)" : r.scheme}${err}`);
    }
    if (v.requests.length > MAX_REQUEST_ROWS) out.push(c.dim(`  … ${v.requests.length - MAX_REQUEST_ROWS} more`));
  }
  if (v.tokens.length) {
    out.push("", `${c.bold("Tokens")}  ${c.dim("each judged at the time it was sent")}`);
    for (const [i, t] of v.tokens.entries()) {
      const label = t.verdict === "accepted" ? c.green("ACCEPTED") : t.verdict === "rejected" ? c.red("REJECTED") : c.yellow("UNKNOWN");
      out.push(`  ${i + 1}. ${label} ${c.dim(`(${t.verdictSource})`)}  ${tokenSummary(t.claims)}`);
      out.push(`     sent ${placeText(t.first)}${t.uses > 1 ? `, ${t.uses} uses` : ""}; judged at ${isoSeconds(t.judgedAt)}`);
      if (t.observedError) out.push(`     server said: ${t.observedError.length > 200 ? `${t.observedError.slice(0, 199)}…` : t.observedError}`);
      const pv = t.predicted;
      const step = pv.verdict === "unknown" ? ` (step ${pv.step} not checked)` : pv.verdict === "rejected" ? ` (at step ${pv.step})` : "";
      const disagree = t.verdictSource === "observed" && pv.verdict !== "unknown" && pv.verdict !== t.verdict ? c.yellow(" — disagrees with what the server did") : "";
      out.push(`     predicted ${pv.verdict}${step}${disagree}${pv.expectedError ? `: ${pv.expectedError.code}${opts.prod ? " (production text)" : ""}` : ""}`);
      const src = t.providerSource === "config" ? `from ${run.config?.origin.source === "found" ? "the found config" : "--config"}` : t.providerSource === "learned" ? "from the deployment's NoAuthProvider text" : `unknown (${run.none ?? "no config"}, and no NoAuthProvider text in the capture)`;
      const same = i > 0 && JSON.stringify(v.tokens[i - 1]!.providers) === JSON.stringify(t.providers) && v.tokens[i - 1]!.providerSource === t.providerSource;
      if (same) out.push(c.dim(`     providers as above`));
      else {
        out.push(`     providers ${src}${t.providers.length ? ":" : ""}`);
        for (const p of t.providers) out.push(`       ${describeProvider(p)}`);
      }
    }
  }
  const listed = v.findings.filter((f) => f.id !== "identity-preview");
  if (listed.length) {
    out.push("", `${c.bold("Findings")}  ${c.dim(counts(listed))}`);
    for (const f of listed) {
      const lines = renderFinding(f, c);
      const at = placeText(f.at);
      if (at) lines.splice(1, 0, `      ${c.dim("at:")} ${at}`);
      out.push(...lines);
    }
  } else out.push("", c.dim("No findings."));
  return out.join("\n") + "\n";
}

function timelineLine(r: TimelineRow, c: ReturnType<typeof paint>): string {
  const mark = r.severity === "error" ? c.red("✖") : r.severity === "warning" ? c.yellow("▲") : " ";
  const where = r.at?.frame !== undefined ? c.dim(` [frame ${r.at.frame}${r.at.message !== undefined ? `, message ${r.at.message}` : ""}]`) : "";
  return `   ${mark} ${clock(r.time)} ${r.text}${where}`;
}
