/**
 * Offline diagnosis of a capture (the CLI's `analyze`): the session reducer's findings (docs/findings.md) plus a
 * verdict for every distinct token (§2), each judged at the moment it was SENT — server time when the
 * connection reported its clock skew — never at today's date. Observed outranks predicted.
 * Pure apart from the injected KeySource.
 */
import type { Provider } from "../config/types";
import type { KeySource } from "../keys/types";
import type { Evidence, Finding } from "../rules/types";
import { predictVerdict } from "../verdict/predict";
import { verdictTimeEdges } from "../verdict/time-edges";
import type { Verdict, VerdictKind } from "../verdict/types";
import { MAX_AUTH_FRAMES_EXTRA, MAX_FRAMES_PER_CONNECTION } from "./frames";
import type { HarSources } from "./import";
import { learnedProviders } from "./learned-providers";
import { emptySession, reduceSession } from "./reduce";
import type { CapturedEvent, Session, TokenUse } from "./types";

export interface AnalyzeOptions {
  /** Providers from --config; null: learn each deployment's list from its NoAuthProvider texts. */
  providers: Provider[] | null;
  /** Per-deployment lists the user gave (the panel's pasted configs); consulted before learned lists. */
  providersFor?: (deployment: string) => Provider[] | null;
  prod: boolean;
  keys: KeySource | null;
  sources: HarSources | null;
}

/** Where something is in the file: the session's connection/frame/request, and for a HAR its entry and message. */
export interface Place {
  connection?: string;
  frame?: number;
  request?: number;
  /** HAR entry index (`log.entries[entry]`). */
  entry?: number;
  /** Index in that entry's `_webSocketMessages`. */
  message?: number;
  /** When it happened (ISO 8601, the capturing page's clock). */
  time?: string;
}

export type AnalyzedFinding = Finding & { at?: Place };

export type ProviderSource = "config" | "learned" | "none";

export interface JudgedToken {
  /** Signature removed. */
  redacted: string;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  deployment: string;
  /** First use in this group (groups split where the verdict can change with time). */
  first: Place;
  uses: number;
  /** The backend time the prediction used (unix seconds): when the token was sent. */
  judgedAt: number;
  observed: "accepted" | "rejected" | "pending" | "unknown";
  observedError?: string;
  providerSource: ProviderSource;
  providers: Provider[];
  predicted: Verdict;
  /** The headline: observed when the server answered, else predicted. */
  verdict: VerdictKind;
  verdictSource: "observed" | "predicted";
}

export interface Analysis {
  session: Session;
  tokens: JudgedToken[];
  findings: AnalyzedFinding[];
}

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
};

/** Evidence → the place in the file, with the HAR entry / message and the time where known. */
export function placeOf(s: Session, sources: HarSources | null, e: Evidence | undefined): Place | undefined {
  if (!e) return undefined;
  const at: Place = {};
  if (e.connection !== undefined) {
    at.connection = e.connection;
    const conn = s.connections.find((c) => c.id === e.connection);
    const entry = sources?.connectionEntry.get(e.connection);
    if (entry !== undefined) at.entry = entry;
    if (e.frame !== undefined) {
      at.frame = e.frame;
      // Frame i is message i's event only while the frame list kept every frame.
      const msgs = sources?.connectionMessages.get(e.connection);
      if (msgs && conn && !conn.framesDropped && msgs[e.frame] !== undefined) at.message = msgs[e.frame];
      const f = conn?.frames[e.frame];
      if (f) at.time = iso(f.t);
    }
  }
  if (e.request !== undefined) {
    at.request = e.request;
    const entry = sources?.requestEntry[e.request];
    if (entry !== undefined) at.entry = entry;
    const r = s.requests[e.request];
    if (r) at.time = iso(r.t);
  }
  return Object.keys(at).length ? at : undefined;
}

function deploymentOf(use: TokenUse, s: Session): string {
  if (use.connection !== undefined) return s.connections.find((c) => c.id === use.connection)?.deployment ?? "";
  if (use.request !== undefined) return s.requests[use.request]?.deployment ?? "";
  return "";
}

/** Backend time when the use was sent: the page clock corrected by the connection's measured skew. */
export function serverSeconds(use: TokenUse, s: Session): number {
  const skew = use.connection !== undefined ? s.connections.find((c) => c.id === use.connection)?.clockSkewMs : undefined;
  return Math.floor((use.t - (typeof skew === "number" && Number.isFinite(skew) ? skew : 0)) / 1000);
}

interface Group {
  uses: TokenUse[];
  now: number;
  deployment: string;
}

/** Uses of one token at one deployment, split where the verdict can change with time (core's time edges). */
function groupUses(s: Session): Group[] {
  const groups = new Map<string, Group>();
  for (const use of s.tokens) {
    if (use.token.kind === "empty") continue;
    const now = serverSeconds(use, s);
    const deployment = deploymentOf(use, s);
    const bucket = verdictTimeEdges(use.token.payload ?? {}).filter((edge) => now >= edge).length;
    const key = `${use.token.raw}\u0000${deployment}\u0000${bucket}`;
    const g = groups.get(key);
    if (g) g.uses.push(use);
    else groups.set(key, { uses: [use], now, deployment });
  }
  return [...groups.values()];
}

function observedOf(uses: TokenUse[]): { observed: JudgedToken["observed"]; error?: string } {
  if (uses.some((u) => u.outcome === "accepted")) return { observed: "accepted" };
  const rejected = uses.find((u) => u.outcome === "rejected");
  if (rejected) return { observed: "rejected", ...(rejected.error !== undefined ? { error: rejected.error } : {}) };
  return { observed: uses.some((u) => u.outcome === "pending") ? "pending" : "unknown" };
}

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

const FRAMES_BOUND_FIX = `Nothing is missing from the file: analysis keeps the first ${MAX_FRAMES_PER_CONNECTION} frames of a connection (and ${MAX_AUTH_FRAMES_EXTRA} more auth frames) and counts the rest; their auth steps (Connect, Authenticate, AuthError, identity changes) are still read. A HAR of a shorter session shows every frame.`;

export async function analyzeCapture(events: readonly CapturedEvent[], opts: AnalyzeOptions): Promise<Analysis> {
  const session = reduceSession(emptySession(), events);
  const learned = opts.providers ? null : learnedProviders(session);
  const tokens: JudgedToken[] = [];
  const tokenFindings: AnalyzedFinding[] = [];
  for (const g of groupUses(session)) {
    const use = g.uses[0]!;
    const given = opts.providers ?? opts.providersFor?.(g.deployment) ?? null;
    const known = given ?? learned?.get(g.deployment) ?? null;
    const providerSource: ProviderSource = given ? "config" : known ? "learned" : "none";
    const predicted = await predictVerdict(use.token.raw, known, { now: g.now, prod: opts.prod, keys: known ? opts.keys : null });
    const { observed, error } = observedOf(g.uses);
    const where: Evidence = {
      ...(use.connection !== undefined ? { connection: use.connection } : {}),
      ...(use.frame !== undefined ? { frame: use.frame } : {}),
      ...(use.request !== undefined ? { request: use.request } : {}),
    };
    // The use's own time: its frame may be past the kept frames.
    const first: Place = { ...placeOf(session, opts.sources, where), time: iso(use.t) };
    const verdictSource = observed === "accepted" || observed === "rejected" ? "observed" : "predicted";
    tokens.push({
      redacted: use.token.redacted,
      header: use.token.header,
      claims: use.token.payload,
      deployment: g.deployment,
      first,
      uses: g.uses.length,
      judgedAt: g.now,
      observed,
      ...(error !== undefined ? { observedError: error } : {}),
      providerSource,
      providers: known ?? [],
      predicted,
      verdict: verdictSource === "observed" ? (observed as VerdictKind) : predicted.verdict,
      verdictSource,
    });
    for (const f of predicted.findings) {
      // The server accepted it: a predicted error is the prediction's mistake (shown on the token), not the app's.
      if (observed === "accepted" && f.severity === "error") continue;
      // Without any provider list, "could not check" says nothing the token headline does not.
      if (providerSource === "none" && f.id === "check-incomplete") continue;
      const evidence: Evidence = { ...where, ...(f.evidence ?? {}) };
      tokenFindings.push({ ...f, evidence, ...(Object.keys(first).length ? { at: first } : {}) });
    }
  }
  const sessionFindings: AnalyzedFinding[] = session.findings.filter((f) => !authMaybeSanitized(session, opts.sources, f)).map((f) => {
    const at = placeOf(session, opts.sources, f.evidence);
    // The catalogue's fix speaks of the panel's capture buffer; a file lost nothing, the frame list is bounded.
    const g = f.id === "events-dropped" && session.dropped === 0 ? { ...f, fix: FRAMES_BOUND_FIX } : f;
    return at ? { ...g, at } : g;
  });
  // The same cause found on several tokens (a client retrying fresh tokens) is said once, at its first use;
  // session findings are kept per occurrence (the reducer bounds them per ID).
  const seen = new Set<string>();
  const causes = tokenFindings.filter((f) => {
    const key = `${f.id}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Causes (the token's own findings) before consequences (token-rejected…); then errors first, stable.
  const findings = [...causes, ...sessionFindings]
    .map((f, i) => [f, i] as const)
    .sort((a, b) => SEVERITY[a[0].severity] - SEVERITY[b[0].severity] || a[1] - b[1])
    .map(([f]) => f);
  return { session, tokens, findings };
}

/**
 * `http-auth-missing` from calls whose Authorization a sanitized HAR export may have removed: whether they
 * carried one is unknown, so the finding is not made (the request list says "unknown" for them).
 */
function authMaybeSanitized(s: Session, sources: HarSources | null, f: Finding): boolean {
  if (f.id !== "http-auth-missing" || !sources || sources.authUnknown.size === 0) return false;
  const deployment = f.evidence?.request !== undefined ? s.requests[f.evidence.request]?.deployment : undefined;
  return s.requests.every((r) => r.deployment !== deployment || r.scheme !== "none" || sources.authUnknown.has(r.i));
}

/** As for `check`: 1 an error finding, 3 a token whose verdict could not be decided (and no error), else 0. */
export function analysisExitCode(a: Analysis, extra: readonly Finding[] = []): 0 | 1 | 3 {
  if ([...a.findings, ...extra].some((f) => f.severity === "error") || a.tokens.some((t) => t.verdict === "rejected")) return 1;
  return a.tokens.some((t) => t.verdict === "unknown") ? 3 : 0;
}
