/**
 * `--markdown`: a short report to paste into a GitHub issue or a chat. Cause first with its fix, decoded claims
 * (never the signature), providers, client version, the auth timeline. Everything from tokens, files and
 * servers is untrusted: escaped so it cannot become a link, an image or HTML, and the finished text goes
 * through the export redaction once more (signatures, admin keys), so no credential survives by accident.
 */
import { analysisView, type ReportRun } from "./analysis-view";
import type { Finding } from "../rules/types";
import type { Place } from "../session/analyze";
import type { Provider } from "../config/types";
import type { Verdict } from "../verdict/types";
import type { DecodedToken } from "../token/types";
import { redactText } from "../session/redact-events";
import { isoSeconds } from "../session/summary";
import { plural } from "../text/plural";
import { describeProvider, entries, SEVERITY_ORDER } from "./words";
import { placeText } from "./place-text";
import { escapeTerminal } from "../text/escape-control";
import { tokenSummary } from "./token-summary";

/** Findings shown in full; the rest are listed by id. */
const MAX_FULL_FINDINGS = 6;
const MAX_TIMELINE = 30;
const MAX_TOKEN_LINES = 5;
/** A table cell or a one-line quote of a server text. */
const MAX_CELL = 160;
const cut = (text: string, n = MAX_CELL) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const MAX_CLAIMS_CHARS = 4000;

/** Inline text: Markdown's punctuation escaped, so page data cannot make links, images, HTML or tables. */
export function md(text: string): string {
  return escapeTerminal(String(text))
    .replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`)
    .replace(/^([-=#+])/, "\\$1");
}

/** A code span that holds any text: backticks inside are replaced (the value is for reading, not copying). */
const code = (text: string) => `\`${escapeTerminal(String(text)).replace(/`/g, "ˋ")}\``;

const ICON = { error: "✖", warning: "▲", info: "ℹ" } as const;

function findingsSection(findings: readonly (Finding & { at?: Place })[]): string[] {
  const listed = [...findings].filter((f) => f.id !== "identity-preview").sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  if (listed.length === 0) return ["### Findings", "", "None."];
  const out = ["### Cause and fix", ""];
  for (const [i, f] of listed.slice(0, MAX_FULL_FINDINGS).entries()) {
    out.push(`${i + 1}. ${ICON[f.severity]} **${code(f.id)}** (${f.severity}): ${md(f.message)}`);
    if (f.fix) out.push(`   - **Fix:** ${md(f.fix)}`);
    if (f.docs) out.push(`   - Docs: <${f.docs.replace(/[<>\s]/g, "")}>`);
    const at = placeText(f.at);
    if (at) out.push(`   - Where: ${md(at)}`);
  }
  const rest = listed.slice(MAX_FULL_FINDINGS);
  if (rest.length) out.push("", `Also: ${rest.map((f) => `${code(f.id)} (${f.severity})`).join(", ")}`);
  return out;
}

function claimsBlock(header: Record<string, unknown> | null, claims: Record<string, unknown> | null): string[] {
  let json = JSON.stringify({ header, payload: claims }, null, 2) ?? "null";
  if (json.length > MAX_CLAIMS_CHARS) json = `${json.slice(0, MAX_CLAIMS_CHARS)}\n… (${json.length - MAX_CLAIMS_CHARS} more characters)`;
  // A backtick becomes its JSON escape: the fence cannot be closed from inside.
  return ["```json", ...json.replace(/`/g, "\\u0060").split("\n").map(escapeTerminal), "```"];
}

function providersSection(providers: readonly Provider[], source: string): string[] {
  const out = [`### Providers (${md(source)})`, ""];
  if (providers.length === 0) out.push("None known.");
  for (const p of providers) out.push(`- ${code(describeProvider(p))}`);
  return out;
}

/** The one exit: every line terminal-safe (no control or bidi character), the whole text redacted once more. */
function finish(lines: string[]): string {
  return redactText(lines.join("\n").split("\n").map(escapeTerminal).join("\n")) + "\n";
}

export interface CheckMarkdownInput {
  verdict: Verdict;
  token: DecodedToken;
  providers: Provider[];
  /** Providers came from --config (false: none given). */
  configGiven: boolean;
  /** Where they came from, as the report says it (default "from --config"). */
  configLabel?: string;
  now: number;
  prod: boolean;
}

export function checkMarkdown(r: CheckMarkdownInput, version: string): string {
  const v = r.verdict;
  const out = [`## Convex auth check (convex-auth-inspector ${version})`, ""];
  out.push(`**Verdict:** ${v.verdict.toUpperCase()}${v.verdict === "rejected" ? ` at step ${code(v.step)}` : v.verdict === "unknown" ? ` (step ${code(v.step)} not checked)` : ""}, judged at ${isoSeconds(r.now)}`);
  if (v.expectedError) out.push("", `**Backend answer${r.prod ? " (production text)" : ""}:** ${v.expectedError.httpStatus} ${code(v.expectedError.code)}: ${md(v.expectedError.message)}`);
  out.push("", ...findingsSection(v.findings));
  out.push("", "### Token (signature removed)", "", ...claimsBlock(r.token.header, r.token.payload));
  out.push("", ...providersSection(r.providers, r.configGiven ? (r.configLabel ?? "from --config") : "no --config given"));
  return finish(out);
}

/** `version`: the inspector's own version (the CLI's package, the extension's manifest), printed in the heading. */
export function analysisMarkdown(run: ReportRun, version: string): string {
  const v = analysisView(run);
  const out = [`## Convex auth report (convex-auth-inspector ${version})`, ""];
  const errors = v.findings.filter((f) => f.severity === "error");
  const verdict = errors.length
    ? `✖ ${errors.length} error${errors.length === 1 ? "" : "s"}, first ${code(errors[0]!.id)}`
    : v.tokens.some((t) => t.verdict === "unknown")
      ? "UNKNOWN: a token's verdict could not be decided"
      : v.connections.length + v.requests.length === 0
        ? "no Convex traffic in this capture"
        : "no errors";
  out.push(`**Verdict:** ${verdict}`);
  out.push(
    `**Capture:** ${v.capture.kind === "har" ? `HAR (${entries(v.capture.entries)})` : v.capture.kind === "live" ? "live capture in the panel" : "inspector export"}, ${plural(v.connections.length, "sync connection")}, ${plural(v.requests.length, "HTTP call")}, ${plural(v.tokens.length, "token")}`,
  );
  const versions = [...new Set(v.connections.map((c) => c.clientVersion ?? "unknown"))];
  if (versions.length) out.push(`**Convex client:** ${versions.map((x) => code(x)).join(", ")}`);
  out.push("", ...findingsSection(v.findings));
  // One token in full (the first rejected one: what the cause is about), the others one line each.
  const shown = v.tokens.find((t) => t.verdict === "rejected") ?? v.tokens[0];
  if (shown) {
    out.push("", `### Token (signature removed): ${shown.verdict.toUpperCase()} (${shown.verdictSource})`, "");
    out.push(`Sent ${md(placeText(shown.first))}; judged at ${isoSeconds(shown.judgedAt)}, when it was sent.${shown.observedError ? ` Server said: ${md(cut(shown.observedError))}` : ""}`, "");
    out.push(...claimsBlock(shown.header, shown.claims));
    const others = v.tokens.filter((t) => t !== shown);
    if (others.length) out.push("", `Other ${plural(others.length, "token")}:`);
    for (const t of others.slice(0, MAX_TOKEN_LINES)) out.push(`- ${t.verdict.toUpperCase()} (${t.verdictSource}): ${md(tokenSummary(t.claims))}, sent ${md(t.first.time ?? "")}`);
    if (others.length > MAX_TOKEN_LINES) out.push(`- … ${others.length - MAX_TOKEN_LINES} more`);
  }
  const first = shown;
  const src = !first ? "none seen" : first.providerSource === "config" ? (run.config ? (run.config.label ?? "from --config") : "from the pasted auth.config") : first.providerSource === "learned" ? "from the deployment's NoAuthProvider text" : "unknown";
  out.push("", ...providersSection(first?.providers ?? run.config?.providers ?? [], src));
  if (v.authTimeline.length) {
    out.push("", "### Auth timeline", "", "| time (UTC) | where | event |", "|---|---|---|");
    for (const r of v.authTimeline.slice(0, MAX_TIMELINE)) {
      out.push(`| ${r.time.slice(11, 23)} | ${md(r.at?.connection ?? (r.at?.request !== undefined ? `request ${r.at.request}` : ""))} | ${r.severity === "error" ? "✖ " : r.severity === "warning" ? "▲ " : ""}${md(cut(r.text))} |`);
    }
    if (v.authTimeline.length > MAX_TIMELINE) out.push("", `… ${v.authTimeline.length - MAX_TIMELINE} more auth events.`);
  }
  return finish(out);
}
