/**
 * The session reducer: captured events → connections, frames, token uses, timeline, findings.
 * Pure and replayable: `reduceSession(reduceSession(empty, a), b)` equals `reduceSession(empty, [...a, ...b])`,
 * the input session is never mutated, and a call costs O(new events + containers touched) — see draft.ts.
 * Findings are recomputed once per call from the compact per-connection auth steps (not from frames).
 */
import type { FrameText, HookEvent } from "../capture/events";
import { sessionFindings } from "../rules/session/index";
import { parseSyncUrl } from "../wire/http";
import { Draft, newTrack } from "./draft";
import { applyHttp } from "./http-event";
import { clip } from "./summary";
import { applyRecv } from "./sync-recv";
import { applySend } from "./sync-send";
import { withFrame } from "./stored-form";
import type { CapturedEvent, Connection, RelayEvent, Session } from "./types";

export function emptySession(): Session {
  return { docs: [], connections: [], requests: [], tokens: [], timeline: [], dropped: 0, findings: [] };
}

export function reduceSession(s: Session, events: readonly CapturedEvent[]): Session {
  if (events.length === 0) return s;
  const out = applyEvents(new Draft(s), events);
  out.findings = sessionFindings(out);
  return out;
}

/**
 * The reduction without findings, into a Draft (copy-on-write or owned, see draft.ts). SessionBuilder uses it
 * to apply many batches and recompute findings once, when asked. With `stored`, each event is also appended
 * to it in the form worth holding: itself, or a copy whose frame keeps only its ends (stored-form.ts).
 */
export function applyEvents(d: Draft, events: readonly CapturedEvent[], stored?: CapturedEvent[]): Session {
  for (const e of events) {
    const ends = applyEvent(d, e, stored !== undefined);
    stored?.push(ends ? withFrame(e, ends) : e);
  }
  return d.s;
}

/** Applies one event; for a server frame the session needed only the ends of (and `wantEnds`), those ends. */
function applyEvent(d: Draft, e: CapturedEvent, wantEnds: boolean): FrameText | undefined {
  const cursor = d.s.cursor!;
  // A jump in the background's global order means events were lost on the way. A smaller n (a restarted
  // background) is not a loss; the panel de-duplicates replays before reducing.
  if (typeof e.n === "number") {
    if (cursor.lastN !== null && e.n > cursor.lastN + 1) addDropped(d, e.ev.t, e.n - cursor.lastN - 1, "missing from the event sequence");
    cursor.lastN = e.n;
  }
  const ev = e.ev as HookEvent | RelayEvent;
  if (typeof ev.t === "number" && Number.isFinite(ev.t) && !(ev.t <= (cursor.lastT ?? -Infinity))) cursor.lastT = ev.t;
  switch (ev.k) {
    case "navigated":
      d.timeline({ t: ev.t, kind: "navigation", text: `Navigated to ${clip(String(ev.url), 300)}` });
      return;
    case "dropped":
      addDropped(d, ev.t, ev.count, droppedWhy(e.doc, "reason" in ev ? ev.reason : undefined));
      return;
    case "installed":
      d.list("docs").push({ doc: e.doc, url: clip(String(ev.url), 2000), t: ev.t, top: ev.top });
      if (ev.top) d.timeline({ t: ev.t, kind: "navigation", text: `Page loaded: ${clip(String(ev.url), 300)}` });
      return;
    case "ws-new": {
      const id = `${e.doc}:${ev.ws}`;
      if (d.connIndex(id) === undefined) d.addConnection(newConnection(id, e.doc, String(ev.url), ev.t));
      return;
    }
    case "ws-open": {
      const c = d.conn(connFor(d, e.doc, ev.ws, ev.t));
      if (c.state === "connecting") {
        c.state = "open";
        c.steps!.push({ k: "open", t: ev.t });
      }
      return;
    }
    case "ws-send":
      applySend(d, connFor(d, e.doc, ev.ws, ev.t), ev.t, ev.frame);
      return;
    case "ws-recv":
      return applyRecv(d, connFor(d, e.doc, ev.ws, ev.t), ev.t, ev.frame, wantEnds);
    case "ws-close": {
      const ci = connFor(d, e.doc, ev.ws, ev.t);
      const c = d.conn(ci);
      c.state = "closed";
      c.closedAt = ev.t;
      const reason = clip(String(ev.reason ?? ""), 200);
      c.close = { code: ev.code, reason };
      const track = c.track!;
      // Tokens still waiting when the socket closed were never answered.
      for (const p of track.pending) {
        const use = p.token !== undefined ? d.token(p.token) : undefined;
        if (use && use.outcome === "pending") use.outcome = "unknown";
      }
      track.pending = [];
      track.chunk = null;
      c.steps!.push({ k: "close", t: ev.t, code: ev.code, reason });
      d.timeline({
        t: ev.t,
        kind: "close",
        connection: c.id,
        text: `Socket closed with code ${ev.code}${reason ? `: ${reason}` : ""}`,
        ...(ev.code === 1000 || ev.code === 1001 || ev.code === 1005 ? {} : { severity: "warning" as const }),
      });
      return;
    }
    case "ws-error":
      return; // always followed by a close, which carries the information
    case "http":
      applyHttp(d, e.doc, ev);
      return;
    default:
      return; // an event kind from a newer hook: ignored, never fatal
  }
}

/** Which stage dropped: the page side (hook or relay), or the background and why. */
function droppedWhy(doc: string, reason: string | undefined): string {
  if (doc) return "dropped in the page (hook or relay bounds, or a malformed event)";
  if (reason === "invalid") return "rejected by the extension's background as malformed";
  if (reason === "worker-stopped") return "lost when the browser stopped the extension's service worker";
  return "dropped by the extension's buffer";
}

function addDropped(d: Draft, t: number, count: number, why: string): void {
  if (!(count > 0)) return;
  d.s.dropped += count;
  d.changed = true;
  d.timeline({ t, kind: "dropped", text: `${count} event${count === 1 ? "" : "s"} ${why}`, severity: "warning" });
}

/** The connection for a socket, creating a placeholder when its `ws-new` was not captured (lost or pre-hook). */
function connFor(d: Draft, doc: string, ws: number, t: number): number {
  const id = `${doc}:${ws}`;
  return d.connIndex(id) ?? d.addConnection(newConnection(id, doc, "", t));
}

function newConnection(id: string, doc: string, url: string, t: number): Connection {
  const info = url ? parseSyncUrl(url) : null;
  return {
    id,
    doc,
    url: clip(url, 2000),
    deployment: info?.deployment ?? "",
    clientVersion: info?.clientVersion ?? null,
    state: "connecting",
    openedAt: t,
    identityVersion: 0,
    auth: "none",
    identity: null,
    frames: [],
    steps: [],
    track: newTrack(),
  };
}
