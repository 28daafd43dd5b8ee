/**
 * The analysis as plain, bounded, credential-free rows: what the JSON, the text report and the Markdown report
 * all print. Tokens appear only redacted (signature removed); URLs and texts go through the export redaction.
 */
import type { Provider } from "../config/types";
import type { Finding } from "../rules/types";
import type { Analysis, AnalyzedFinding, JudgedToken, Place } from "../session/analyze";
import { placeOf } from "../session/analyze";
import type { HarSources } from "../session/import";
import { redactText } from "../session/redact-events";
import type { Connection, HttpRequest, TimelineEntry } from "../session/types";

/** What a report is made from: the capture read (a file, or the panel's live log), the user's config, the analysis. */
export interface ReportRun {
  capture: { kind: "har" | "export" | "live"; entries: number; events: readonly unknown[]; sources: HarSources | null };
  /** `label`: where the providers came from, as the report says it (default "from --config"). */
  config: { providers: Provider[]; findings: Finding[]; label?: string } | null;
  analysis: Analysis;
}

/** Timeline rows per connection in the text and JSON outputs (the JSON says how many were left out). */
export const MAX_TIMELINE_ROWS = 200;

export interface TimelineRow {
  time: string;
  kind: TimelineEntry["kind"];
  text: string;
  severity?: TimelineEntry["severity"];
  at?: Place;
}

export interface ConnectionView {
  id: string;
  /** HAR entry index of the socket. */
  entry?: number;
  url: string;
  deployment: string;
  clientVersion: string | null;
  state: Connection["state"];
  openedAt: string;
  closedAt?: string;
  close?: Connection["close"];
  auth: Connection["auth"];
  identity: string | null;
  frames: number;
  framesDropped: number;
  timeline: TimelineRow[];
  timelineOmitted: number;
}

export interface RequestView {
  index: number;
  entry?: number;
  time: string;
  method: string;
  url: string;
  deployment: string;
  endpoint: string;
  scheme: HttpRequest["scheme"];
  /** No Authorization is listed, but a sanitized HAR export may have removed it: the scheme is not known. */
  schemeUnknown?: true;
  status: number;
  error?: HttpRequest["error"];
}

export interface AnalysisView {
  capture: { kind: ReportRun["capture"]["kind"]; entries: number; events: number };
  connections: ConnectionView[];
  requests: RequestView[];
  tokens: JudgedToken[];
  findings: AnalyzedFinding[];
  /** Auth events across the whole capture, in time order (for the Markdown report). */
  authTimeline: TimelineRow[];
}

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
};

/** The timeline kinds that tell the auth story (queries and navigation are context, not auth). */
export const AUTH_KINDS: ReadonlySet<TimelineEntry["kind"]> = new Set(["connect", "authenticate", "auth-accepted", "auth-error", "fatal-error", "close", "dropped"]);

function row(run: ReportRun, e: TimelineEntry): TimelineRow {
  const at = placeOf(run.analysis.session, run.capture.sources, {
    ...(e.connection !== undefined ? { connection: e.connection } : {}),
    ...(e.frame !== undefined ? { frame: e.frame } : {}),
    ...(e.request !== undefined ? { request: e.request } : {}),
  });
  return { time: iso(e.t), kind: e.kind, text: redactText(e.text), ...(e.severity ? { severity: e.severity } : {}), ...(at ? { at } : {}) };
}

export function analysisView(run: ReportRun): AnalysisView {
  const s = run.analysis.session;
  const sources = run.capture.sources;
  const byConn = new Map<string, TimelineEntry[]>();
  for (const e of s.timeline) {
    if (e.connection === undefined) continue;
    let list = byConn.get(e.connection);
    if (!list) byConn.set(e.connection, (list = []));
    list.push(e);
  }
  const connections = s.connections.map((c): ConnectionView => {
    const entries = byConn.get(c.id) ?? [];
    const entry = sources?.connectionEntry.get(c.id);
    return {
      id: c.id,
      ...(entry !== undefined ? { entry } : {}),
      url: redactText(c.url),
      deployment: c.deployment,
      clientVersion: c.clientVersion,
      state: c.state,
      openedAt: iso(c.openedAt),
      ...(c.closedAt !== undefined ? { closedAt: iso(c.closedAt) } : {}),
      ...(c.close ? { close: c.close } : {}),
      auth: c.auth,
      identity: c.identity,
      frames: c.frames.length,
      framesDropped: c.framesDropped ?? 0,
      timeline: entries.slice(0, MAX_TIMELINE_ROWS).map((e) => row(run, e)),
      timelineOmitted: Math.max(0, entries.length - MAX_TIMELINE_ROWS),
    };
  });
  const requests = s.requests.map((r): RequestView => {
    const entry = sources?.requestEntry[r.i];
    return {
      index: r.i,
      ...(entry !== undefined ? { entry } : {}),
      time: iso(r.t),
      method: r.method,
      url: redactText(r.url),
      deployment: r.deployment,
      endpoint: r.endpoint,
      scheme: r.scheme,
      ...(sources?.authUnknown.has(r.i) ? { schemeUnknown: true as const } : {}),
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
    };
  });
  const authTimeline = s.timeline.filter((e) => AUTH_KINDS.has(e.kind) || (e.kind === "http" && e.severity !== undefined)).map((e) => row(run, e));
  const findings = [...(run.config?.findings ?? []), ...run.analysis.findings];
  return {
    capture: { kind: run.capture.kind, entries: run.capture.entries, events: run.capture.events.length },
    connections,
    requests,
    tokens: run.analysis.tokens,
    findings,
    authTimeline,
  };
}
