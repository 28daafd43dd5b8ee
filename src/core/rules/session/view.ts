/**
 * What every session rule reads: connections grouped into Convex client instances. A client is one
 * `sessionId` in one document (stable across its reconnects, reference protocol §2 Connect), so a chain
 * like "AuthError → stop → new socket → Authenticate" is followed across sockets. Rules read steps as they
 * arrive (tracker.ts) and keep only stable connection fields (id, doc, deployment) across passes: the reducer
 * gives a changed connection a new object.
 */
import type { AuthStep, Connection, Session, TokenUse } from "../../session/types";
import { elided } from "../../text/elide";

export interface StepRef {
  conn: Connection;
  step: AuthStep;
}

/**
 * The client a connection belongs to: its `sessionId` in its document, or the connection alone until its
 * Connect names one. Rules fed per client see its connections one after another (sockets are sequential).
 */
export function clientKey(c: Connection): string {
  const sessionId = c.sessionId ?? null;
  return sessionId === null ? `conn:${c.id}` : `${c.doc}|${sessionId}`;
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
