/**
 * `token-fetch-stalled`: a sync socket opened and the client sent nothing on it for more than 10 s, or after an
 * AuthError closed its socket the client opened no new one for more than 10 s.
 *
 * convex-js 1.48 sends `Connect` and its `ModifyQuerySet` together in the socket's onopen unless the socket
 * is paused, and only auth pauses it: `setAuth` pauses it until `fetchToken` returns (reference
 * convex-protocol §4 setConfig; a throwing fetchToken leaves it paused for good), and `expectAuth` starts it
 * paused until the first token. A socket that opened while paused holds `Connect` back entirely, so the wire
 * shows an open socket and no client frame at all (checked against the real client: see the unit tests).
 * A client that sent Connect and queries but no token is `no-token-sent`, not this. After an AuthError the
 * client stops its socket and reconnects only once `fetchToken({forceRefreshToken:true})` returns (§4 "On an
 * AuthError"); every other path reconnects after a backoff of about a second.
 *
 * Time-dependent: "nothing for 10 s" needs a clock. The rule uses `now` when the caller passes one (the
 * panel's ticking clock) and otherwise the latest event time in the capture (any later event, e.g. the
 * server's 15 s Ping, proves that moment was reached), so the reducer stays pure and replayable.
 */
import { finding } from "../catalogue";
import type { Finding } from "../types";
import type { AuthStep, Connection, FrameRecord, Session } from "../../session/types";
import { ev, secs } from "./view";
import { elided } from "../../text/elide";

export const STALL_MS = 10_000;

/** One connection's steps in order: what the rule needs of them, so a pass does not scan them again. */
export class StalledFold {
  open: AuthStep | undefined;
  /** The latest step that is neither a close nor a skew reading. */
  last: AuthStep | undefined;
  /** How far `frames` was searched for the first send after `open` (the frame list only grows). */
  private scanned = 0;
  private scannedLast: FrameRecord | undefined;
  private send: FrameRecord | undefined;

  step(s: AuthStep): void {
    if (s.k === "open") this.open ??= s;
    if (s.k !== "close" && s.k !== "skew") this.last = s;
  }

  /** The first frame the client sent after the socket opened. */
  firstSend(c: Connection, open: AuthStep): FrameRecord | undefined {
    const frames = c.frames;
    if (this.scanned > frames.length || (this.scanned > 0 && frames[this.scanned - 1] !== this.scannedLast)) {
      this.scanned = 0;
      this.send = undefined;
    }
    for (; !this.send && this.scanned < frames.length; this.scanned++) {
      const f = frames[this.scanned]!;
      if (f.dir === "send" && f.t >= open.t) this.send = f;
    }
    this.scannedLast = frames[this.scanned - 1];
    return this.send;
  }
}

/** `token-fetch-stalled` for every connection, from each one's StalledFold; `latest` is the time now. */
export function stalledFindings(session: Session, latest: number, fold: (c: Connection) => StalledFold | undefined): Finding[] {
  const out: Finding[] = [];
  const gone = replaced(session);
  for (const c of session.connections) {
    const f = fold(c);
    const open = f?.open;
    if (!f || !open || gone(c)) continue;
    const firstSend = f.firstSend(c, open);
    const end = firstSend?.t ?? (c.state === "closed" && c.closedAt !== undefined ? c.closedAt : latest);
    const silentMs = end - open.t;
    if (!(silentMs > STALL_MS)) continue;
    const base = `The sync socket to ${c.deployment || "the deployment"} opened and the client sent nothing on it (not even Connect) for ${secs(Math.round(silentMs / 100) * 100)}`;
    const seen = firstSend
      ? `${base}, then sent ${firstSend.type}: until then no query or mutation ran.`
      : c.state === "closed"
        ? `${base}, until it closed${c.close ? ` (code ${c.close.code})` : ""}: no query or mutation ran on it.`
        : `${base} so far: no query or mutation has run.`;
    out.push(
      finding(
        "token-fetch-stalled",
        `${seen} The Convex client holds Connect back while its socket is paused, which happens while setAuth's fetchToken has not returned (a fetchToken that hangs or throws keeps it paused) or, with the expectAuth option, until setAuth is first called.`,
        ev(c, undefined),
      ),
    );
  }
  return out.concat(afterAuthError(session, latest, fold, gone));
}

/** A socket closed right after an AuthError, and no socket of its page followed for 10 s. */
function afterAuthError(session: Session, latest: number, fold: (c: Connection) => StalledFold | undefined, gone: (c: Connection) => boolean): Finding[] {
  const out: Finding[] = [];
  const nextSocket = socketsByDoc(session);
  for (const c of session.connections) {
    if (c.state !== "closed" || c.closedAt === undefined || gone(c)) continue;
    const last = fold(c)?.last;
    if (!last || last.k !== "auth-error") continue;
    const closedAt = c.closedAt;
    const next = nextSocket(c, closedAt);
    const silentMs = (next ? next.openedAt : latest) - closedAt;
    if (!(silentMs > STALL_MS)) continue;
    const gap = secs(Math.round(silentMs / 100) * 100);
    out.push(
      finding(
        "token-fetch-stalled",
        `After the AuthError "${elided(last.error, 160)}" the socket to ${c.deployment || "the deployment"} closed and the client opened no new one for ${gap}${next ? "" : " so far"}. After an AuthError the Convex client stops its socket and reconnects only when fetchToken({forceRefreshToken:true}) returns (its other reconnects wait about a second), so that call ${next ? "took that long" : "has not returned (a fetchToken that hangs or throws leaves the client offline), unless the app closed the client"}.`,
        ev(c, last.frame),
      ),
    );
  }
  return out;
}

/**
 * A socket of a document that a later top-level page load replaced: its close may never have been captured.
 * Per pass O(docs), then O(1) per socket (a reconnect loop has thousands of sockets).
 */
function replaced(session: Session): (c: Connection) => boolean {
  // The latest top-level load, and the latest of another document (NaN times never win, as in `d.t > t`).
  let best: { doc: string; t: number } | null = null;
  for (const d of session.docs) if (d.top && d.t > (best?.t ?? -Infinity)) best = d;
  let other = -Infinity;
  for (const d of session.docs) if (d.top && d.doc !== best?.doc && d.t > other) other = d.t;
  return (c) => (best !== null && c.doc !== best.doc ? best.t : other) > c.openedAt;
}

/**
 * The first socket in session order of the same document, other than `c`, opened at or after `t`. Per pass
 * O(connections); then a binary search over each document's running maximum of `openedAt`.
 */
function socketsByDoc(session: Session): (c: Connection, t: number) => Connection | undefined {
  const byDoc = new Map<string, { conns: Connection[]; maxOpened: number[] }>();
  for (const c of session.connections) {
    let d = byDoc.get(c.doc);
    if (!d) byDoc.set(c.doc, (d = { conns: [], maxOpened: [] }));
    const prev = d.maxOpened[d.maxOpened.length - 1] ?? -Infinity;
    d.conns.push(c);
    d.maxOpened.push(c.openedAt > prev ? c.openedAt : prev);
  }
  return (c, t) => {
    const d = byDoc.get(c.doc);
    if (!d) return undefined;
    // The first index whose running maximum reaches t is the first socket opened at or after t.
    let lo = 0;
    let hi = d.conns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d.maxOpened[mid]! >= t) hi = mid;
      else lo = mid + 1;
    }
    for (let k = lo; k < d.conns.length; k++) {
      const o = d.conns[k]!;
      if (o !== c && o.openedAt >= t) return o;
    }
    return undefined;
  };
}
