/** The human-readable `check` report. Pure formatting of the verdict; no decisions are made here. */
import type { Finding } from "../core/rules/types";
import { terminalSafe } from "../core/text/escape-control";
import { formatTime } from "../core/token/claims";
import { pathLabel } from "../core/verdict/any-provider";
import { plural } from "../core/text/plural";
import { describeProvider, SEVERITY_ORDER } from "../core/report/words";
import type { CheckMarkdownInput } from "../core/report/markdown";
import { FOUND_HINT, type LoadedConfig } from "./config";

/** What `check` reports, as the Markdown report takes it, plus the config's origin and terminal colour. */
export interface ReportInput extends CheckMarkdownInput {
  /** The config used (absent or null: none). */
  config?: LoadedConfig | null;
  /** Why no config is used (`--no-config`, or what the search did not find). */
  none?: string;
  color: boolean;
}

const ICON = { error: "✖", warning: "▲", info: "ℹ" } as const;

export function paint(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap("31"), yellow: wrap("33"), green: wrap("32"), dim: wrap("2"), bold: wrap("1"), cyan: wrap("36") };
}


function timeClaim(payload: Record<string, unknown>, name: string, now: number): string | null {
  const v = payload[name];
  if (typeof v !== "number" || !Number.isFinite(v)) return null;
  return `${name} ${formatTime(v, now)}`;
}



/** "2 errors, 1 warning, 3 infos" — only the severities present. */
export function counts(findings: readonly Finding[]): string {
  const n = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
  const parts = [plural(n("error"), "error"), plural(n("warning"), "warning"), plural(n("info"), "info", "info")];
  return parts.filter((p) => !p.startsWith("0 ")).join(", ");
}

function show(v: unknown): string {
  const s = typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

export function renderReport(input: ReportInput): string {
  // The one choke point: every string from tokens, configs and servers is escaped before any line is built.
  const r = terminalSafe(input);
  const c = paint(r.color);
  const out: string[] = [];
  const v = r.verdict;
  const label =
    v.verdict === "accepted" ? c.green(c.bold("ACCEPTED")) : v.verdict === "rejected" ? c.red(c.bold("REJECTED")) : c.yellow(c.bold("UNKNOWN"));
  const at = v.verdict === "rejected" ? `  (decided at step: ${v.step})` : v.verdict === "unknown" ? `  (not decided: step ${v.step} was not checked)` : "";
  out.push(`Verdict    ${label}${c.dim(at)}`);
  const texts = r.prod ? c.dim(" (production text)") : c.dim(" (dev deployment text)");
  if (v.alternatives && v.alternatives.length > 1) {
    out.push(`Backend    depends on the provider's type${texts}`);
    for (const a of v.alternatives) {
      out.push(`           ${pathLabel(a.path)}: ${a.error.httpStatus} ${a.error.code} — ${a.error.message}`);
    }
  } else if (v.expectedError) {
    out.push(`Backend    ${v.expectedError.httpStatus} ${v.expectedError.code}${texts}`);
    out.push(`           ${v.expectedError.message}`);
  }
  if (v.provider) out.push(`Provider   #${v.provider.index} ${describeProvider(v.provider)}`);
  else if (!r.config) {
    const none = r.none ?? "no config";
    out.push(
      `Provider   ${c.dim(v.verdict === "rejected" ? `${none}: every provider that could match rejects this token` : `${none}: provider matching was not checked`)}`,
    );
  } else out.push(`Provider   ${providerNotFound(v.verdict, v.step)}`);
  if (r.config) {
    out.push(...configLines(r.config, c));
    out.push(`           ${plural(r.providers.length, "provider")} in stored order${r.providers.length ? ":" : ""}`);
    for (const p of r.providers) out.push(`             ${describeProvider(p)}${p.index !== undefined ? c.dim(`  (file index ${p.index})`) : ""}`);
  }

  const h = r.token.header;
  const p = r.token.payload;
  if (h || p) {
    const head = h ? [h.alg !== undefined ? `alg=${show(h.alg)}` : "no alg", h.kid !== undefined ? `kid=${show(h.kid)}` : "no kid", h.typ !== undefined ? `typ=${show(h.typ)}` : ""].filter(Boolean).join("  ") : "header unreadable";
    out.push(`Token      ${head}`);
    if (p) {
      for (const name of ["iss", "sub", "aud"]) if (name in p) out.push(`           ${name} ${show(p[name])}`);
      for (const name of ["iat", "nbf", "exp"]) {
        const line = timeClaim(p, name, r.now);
        if (line) out.push(`           ${line}`);
      }
    }
  } else if (r.token.problem) {
    out.push(`Token      ${r.token.problem}`);
  }

  const findings = [...v.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const listed = findings.filter((f) => f.id !== "identity-preview");
  if (listed.length) {
    out.push("", `${c.bold("Findings")}  ${c.dim(counts(listed))}`);
    for (const f of listed) out.push(...renderFinding(f, c));
  }
  if (v.identity) {
    out.push("", c.bold("Identity") + c.dim("  what ctx.auth.getUserIdentity() returns"));
    for (const line of JSON.stringify(v.identity, null, 2).split("\n")) out.push(`  ${line}`);
  }
  return out.join("\n") + "\n";
}

/** Why a config was given but no provider is named: the step that decided says which it is. */
function providerNotFound(verdict: string, step: string): string {
  if (step === "parse" || step === "iss") return "not reached (the token is rejected before provider matching)";
  if (step === "match") return verdict === "rejected" ? "none matched" : "not decided (see check-incomplete)";
  // A provider holding an unresolved process.env value makes the match undecided; every candidate rejects.
  return "not decided (see check-incomplete); the token is rejected whichever provider takes it";
}

/**
 * Where the config came from, and the `process.env` names it reads that have no value here: their values are on
 * the deployment, which the CLI does not read, so the prediction stays open until they are given.
 */
export function configLines(config: LoadedConfig, c: ReturnType<typeof paint>): string[] {
  const o = config.origin;
  const lines = [`Config     ${o.source === "given" ? o.path : `${o.relative} ${c.dim(`(found in ${o.root}; ${FOUND_HINT})`)}`}`];
  if (config.unresolvedEnv.length) {
    const names = config.unresolvedEnv;
    lines.push(
      `           ${c.yellow("needs")} ${names.map((n) => `--env ${n}=…`).join(" ")} ${c.dim(`(set on the deployment, not read from here: \`npx convex env get ${names[0]}\`)`)}`,
    );
  }
  return lines;
}

/** The one stderr line for --json / --markdown runs with a found config, whose stdout does not say where it came from. */
export function foundConfigNote(config: LoadedConfig | null): string {
  if (config?.origin.source !== "found") return "";
  const env = config.unresolvedEnv.length ? `; no value here for ${config.unresolvedEnv.map((n) => `process.env.${n}`).join(", ")}: give it with --env NAME=VALUE` : "";
  return `convex-auth-inspector: config ${config.origin.relative} (found in ${config.origin.root}; ${FOUND_HINT})${env}`;
}

export function renderFinding(f: Finding, c: ReturnType<typeof paint>): string[] {
  const color = f.severity === "error" ? c.red : f.severity === "warning" ? c.yellow : c.cyan;
  const lines = [`  ${color(ICON[f.severity])} ${c.bold(f.id)}  ${f.message}`];
  if (f.fix) lines.push(`      ${c.dim("fix:")} ${f.fix}`);
  if (f.docs) lines.push(`      ${c.dim("docs:")} ${f.docs}`);
  return lines;
}
