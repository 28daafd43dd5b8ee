/**
 * The panel's side of the bridge, in one place: a reconnecting port to the background that resumes with
 * `hello{after, epoch}`, drops events it already delivered (a restarted background re-sends what relays
 * replayed), and renumbers `n` so the panel sees one gap-free sequence (real losses arrive as `dropped`).
 */
import browser from "webextension-polyfill";
import type { Runtime } from "webextension-polyfill";
import type { CapturedEvent } from "../core/session/types";
import { panelPortName } from "./protocol";
import type { BackgroundToPanel, PanelToBackground } from "./protocol";

export interface PanelConnection {
  send(msg: PanelToBackground): void;
  /** Stops for good (no reconnect). */
  close(): void;
}

/** The part of `runtime` this needs (injectable for tests). */
export interface RuntimeLike {
  id?: string;
  connect(info: { name: string }): Runtime.Port;
}

export interface ConnectOptions {
  runtime?: RuntimeLike;
  /** Called with true/false as the port goes up and down (for a "reconnecting…" hint). */
  onStatus?: (connected: boolean) => void;
}

/** Remembers which page events were delivered, per document (indexes arrive in order per document). */
class Delivered {
  private docs = new Map<string, { min: number; max: number }>();
  private navs = new Set<string>();

  /** True when this event is new; records it. */
  admit(e: CapturedEvent): boolean {
    if (e.i !== undefined) {
      const d = this.docs.get(e.doc);
      if (d && e.i >= d.min && e.i <= d.max) return false;
      if (!d) this.docs.set(e.doc, { min: e.i, max: e.i });
      else {
        d.min = Math.min(d.min, e.i);
        d.max = Math.max(d.max, e.i);
      }
      return true;
    }
    if (e.ev.k === "navigated") {
      // A restarted background re-announces the same page (same url and page time).
      const key = `${e.ev.url}\u0000${e.ev.t}`;
      if (this.navs.has(key)) return false;
      this.navs.add(key);
    }
    return true;
  }

  /** Of the ranges a dead worker lost, how many this panel never received. */
  stillMissing(ranges: { doc: string; from: number; to: number }[]): number {
    let n = 0;
    for (const r of ranges) {
      const d = this.docs.get(r.doc);
      const len = r.to - r.from + 1;
      const overlap = d ? Math.max(0, Math.min(r.to, d.max) - Math.max(r.from, d.min) + 1) : 0;
      n += Math.max(0, len - overlap);
    }
    return n;
  }
}

export function connectPanel(
  tabId: number,
  onMessage: (msg: BackgroundToPanel) => void,
  opts: ConnectOptions = {},
): PanelConnection {
  const runtime: RuntimeLike = opts.runtime ?? browser.runtime;
  const delivered = new Delivered();
  let port: Runtime.Port | null = null;
  let closed = false;
  let epoch: string | undefined;
  let after = 0; // last background `n` received, in `epoch`
  let outN = 0; // the panel's own gap-free numbering
  let sentBacklog = false;
  // Buffer evictions the background reported while this panel was attached, summed over port lives.
  let evictedBefore = 0;
  let evictedNow = 0;
  let retryMs = 50;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const contextGone = () => {
    try {
      return !runtime.id;
    } catch {
      return true;
    }
  };

  function accept(events: CapturedEvent[], msgEpoch: string | undefined): CapturedEvent[] {
    if (msgEpoch !== undefined && msgEpoch !== epoch) {
      epoch = msgEpoch;
      after = 0;
    }
    const out: CapturedEvent[] = [];
    for (const e of events) {
      if (e.n > after) after = e.n;
      if (!delivered.admit(e)) continue;
      let ev = e.ev;
      if (ev.k === "dropped" && "reason" in ev && ev.reason === "worker-stopped" && ev.lost) {
        const count = delivered.stillMissing(ev.lost);
        if (count === 0) continue;
        ev = { ...ev, count };
      }
      out.push({ ...e, ev, n: ++outN });
    }
    return out;
  }

  function onPortMessage(raw: unknown): void {
    const msg = raw as BackgroundToPanel;
    if (msg?.type === "hook") return onMessage({ type: "hook", present: msg.present === true });
    if (msg?.type !== "backlog" && msg?.type !== "events") return;
    if (!Array.isArray(msg.events)) return;
    const events = accept(msg.events, msg.epoch);
    if (msg.type === "backlog" && !sentBacklog) {
      // Exactly one backlog per connectPanel call; after a reconnect the missing events come as `events`.
      sentBacklog = true;
      onMessage({ type: "backlog", events, hookSeen: msg.hookSeen, epoch: msg.epoch });
    } else if (msg.type === "events") {
      const evicted = typeof msg.evicted === "number" && msg.evicted > evictedNow ? msg.evicted : evictedNow;
      const grew = evicted > evictedNow;
      evictedNow = evicted;
      if (events.length > 0 || grew) onMessage({ type: "events", events, epoch: msg.epoch, evicted: evictedBefore + evictedNow });
    } else if (events.length > 0) {
      onMessage({ type: "events", events, epoch: msg.epoch });
    }
  }

  function connect(): void {
    timer = null;
    if (closed) return;
    if (contextGone()) return;
    try {
      port = runtime.connect({ name: panelPortName(tabId) });
    } catch {
      port = null;
      return;
    }
    const p = port;
    evictedBefore += evictedNow; // a new port counts from its own backlog
    evictedNow = 0;
    p.onMessage.addListener(onPortMessage);
    p.onDisconnect.addListener(() => {
      if (port === p) port = null;
      opts.onStatus?.(false);
      if (closed || contextGone()) return;
      timer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 2000);
    });
    p.postMessage({ type: "hello", after, epoch } satisfies PanelToBackground);
    opts.onStatus?.(true);
    setTimeout(() => {
      if (port === p) retryMs = 50;
    }, 1000);
  }

  connect();

  return {
    send(msg) {
      try {
        port?.postMessage(msg);
      } catch {
        // Reconnecting; a clear sent meanwhile is lost, which the user can repeat.
      }
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      try {
        port?.disconnect();
      } catch {
        // already gone
      }
      port = null;
    },
  };
}
