/**
 * What every session rule reads: connections grouped into Convex client instances. A client is one
 * `sessionId` in one document (stable across its reconnects, reference protocol §2 Connect), so a chain
 * like "AuthError → stop → new socket → Authenticate" is followed across sockets.
 */
import type { AuthStep, Connection, Session, TokenUse } from "../../session/types";
import { elided } from "../../text/elide";

export interface StepRef {
  conn: Connection;
  step: AuthStep;
}

export interface ClientView {
  key: string;
  doc: string;
  sessionId: string | null;
  connections: Connection[];
  /** All steps of its connections, in connection order then step order (sockets are sequential). */
  steps: StepRef[];
}

export function clientsOf(session: Session): ClientView[] {
  const byKey = new Map<string, ClientView>();
  for (const c of session.connections) {
    const sessionId = c.sessionId ?? null;
    const key = sessionId === null ? `conn:${c.id}` : `${c.doc}|${sessionId}`;
    let v = byKey.get(key);
    if (!v) {
      v = { key, doc: c.doc, sessionId, connections: [], steps: [] };
      byKey.set(key, v);
    }
    v.connections.push(c);
    for (const step of c.steps ?? []) v.steps.push({ conn: c, step });
  }
  return [...byKey.values()];
}

/** The token a step refers to. */
export function tokenOf(session: Session, i: number | undefined): TokenUse | undefined {
  return i === undefined ? undefined : session.tokens[i];
}

/** Raw token string for equality checks (in memory only; never put into messages). */
export function rawOf(session: Session, i: number | undefined): string | undefined {
  return tokenOf(session, i)?.token.raw;
}

/** `iss=… sub=…` for messages. */
export function who(use: TokenUse | undefined): string {
  const p = use?.token.payload;
  if (!p) return "an unreadable token";
  const iss = typeof p.iss === "string" ? elided(p.iss, 80) : "(no iss)";
  const sub = typeof p.sub === "string" ? elided(p.sub, 60) : "(no sub)";
  return `iss=${iss} sub=${sub}`;
}

export function ev(conn: Connection, frame: number | undefined, value?: string): { connection: string; frame?: number; value?: string } {
  const e: { connection: string; frame?: number; value?: string } = { connection: conn.id };
  if (frame !== undefined) e.frame = frame;
  if (value !== undefined) e.value = value;
  return e;
}

export function secs(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
