/**
 * The one message bridge: what flows between relay (content script), background and panel over runtime ports.
 * Tokens travel inside events in memory only; nothing here is ever written to extension storage.
 */
import type { HookBatch } from "../hook/events";
import type { CapturedEvent } from "../core/session/types";

/** Port names. The panel's port carries its inspected tab id (Firefox panels have no `sender.tab`). */
export const RELAY_PORT = "cai-relay";
export const panelPortName = (tabId: number) => `cai-panel:${tabId}`;

/** relay → background */
export type RelayToBackground = { type: "batch"; batch: HookBatch };

/** background → panel */
export type BackgroundToPanel =
  /** Everything buffered for the tab, sent once when the panel's port connects (or reconnects). */
  | { type: "backlog"; events: CapturedEvent[]; hookSeen: boolean }
  /** New events since the last message (batched). */
  | { type: "events"; events: CapturedEvent[] };

/** panel → background */
export type PanelToBackground =
  /** Resume after a reconnect: send only events with `n > after`. */
  | { type: "hello"; after: number }
  | { type: "clear" };

/** Bounds: the background keeps at most this many events per tab (oldest first out, counted as dropped). */
export const TAB_BUFFER_LIMIT = 20000;
