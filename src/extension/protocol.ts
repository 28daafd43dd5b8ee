/**
 * The one message bridge: what flows between relay (content script), background and panel over runtime ports.
 * Tokens travel inside events in memory only; nothing here is ever written to extension storage.
 */
import type { HookPost } from "../core/capture/events";
import type { CapturedEvent } from "../core/session/types";

/**
 * Port names. The panel's port carries its inspected tab id (Firefox panels have no `sender.tab`). A name is
 * no credential: senders.ts checks who connected.
 */
export const RELAY_PORT = "cai-relay";
export const panelPortName = (tabId: number) => `cai-panel:${tabId}`;

/**
 * relay → background. `first` is the per-document index (`CapturedEvent.i`) of `batch.events[0]`; the events
 * carry consecutive indexes. The relay re-sends (replays) events after a reconnect; the background drops
 * the indexes it already has, so a replay is always safe.
 */
export type RelayToBackground = { type: "batch"; batch: HookPost; first?: number };

/**
 * background → relay, through `tabs.sendMessage` (needs no permission): a restarted background asks a tab's
 * relays to connect and replay. Relays reconnect lazily otherwise (on their next batch), so the browser's
 * idle kill of the worker is not undone by every open tab.
 */
export type BackgroundToRelay =
  | { type: "cai-relay-reconnect" }
  /** Asked of the top frame's relay: did the hook take the page channel in this document? */
  | { type: "cai-hook-present" };

/** The relay's answer to `cai-hook-present`. `traffic`: the hook has sent Convex events already. */
export interface HookPresence {
  hook: boolean;
  traffic: boolean;
}

/** background → panel */
export type BackgroundToPanel =
  /**
   * Everything buffered for the tab, sent once when the panel's port connects (or reconnects). `hookSeen`:
   * the hook runs in the tab's top document (from its events, or else from asking the top frame's relay).
   */
  | { type: "backlog"; events: CapturedEvent[]; hookSeen: boolean; epoch?: string }
  /**
   * New events since the last message (batched). `evicted`: how many older events the tab buffer let go since
   * this port's backlog — all of them were delivered to this port first, so the panel lost none.
   */
  | { type: "events"; events: CapturedEvent[]; epoch?: string; evicted?: number }
  /** The answer to `probe`: whether the hook runs in the tab's top document now. */
  | { type: "hook"; present: boolean };

/** panel → background */
export type PanelToBackground =
  /** Resume after a reconnect: send only events with `n > after`. */
  | {
      type: "hello";
      after: number;
      /**
       * The background lifetime `after` counts in (from the last backlog/events). A restarted background has
       * a new epoch and then sends everything it has; `connectPanel` drops what the panel already holds.
       */
      epoch?: string;
    }
  | { type: "clear" }
  /** Ask the tab's top-frame relay again whether the hook is there (e.g. after "Reload to capture"). */
  | { type: "probe" };

/** Bounds: the background keeps at most this many events per tab (oldest first out, counted as dropped). */
export const TAB_BUFFER_LIMIT = 20000;
