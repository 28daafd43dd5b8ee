/**
 * Who may open which port. The browser fills in `port.sender`; page code cannot forge it, while a port's
 * name is chosen by whoever connects (a content script running in any tab could pick a panel's name).
 * So panel ports are accepted only from the extension's own pages, and relay ports only from a real tab,
 * which then reaches that tab's data and nothing else.
 */

/** The part of `runtime.MessageSender` these checks read. */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

export interface Self {
  /** `runtime.id` */
  id: string;
  /** `runtime.getURL("/")`, e.g. `chrome-extension://<id>/` (trailing slash: a prefix match is exact). */
  base: string;
}

const PANEL_PREFIX = "cai-panel:";
const isTabId = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** One of our own extension pages (DevTools panel, or the panel opened as a tab): never a content script. */
export function isOwnPage(sender: SenderLike | undefined, self: Self): boolean {
  if (!sender || sender.id !== self.id) return false;
  if (typeof sender.url !== "string" || !sender.url.startsWith(self.base)) return false;
  // Chrome also reports the origin; where present it must agree (Firefox may leave it out).
  return sender.origin === undefined || `${sender.origin}/` === self.base;
}

/** The inspected tab of a panel port, or null when the port is no panel of ours. */
export function panelTab(name: string, sender: SenderLike | undefined, self: Self): number | null {
  if (!name.startsWith(PANEL_PREFIX)) return null;
  const raw = name.slice(PANEL_PREFIX.length);
  if (!/^\d{1,10}$/.test(raw)) return null;
  const tabId = Number(raw);
  return isTabId(tabId) && isOwnPage(sender, self) ? tabId : null;
}

/** The tab and frame a relay port speaks for (from the browser, never from its messages), or null. */
export function relayOrigin(sender: SenderLike | undefined, self: Self): { tabId: number; frame: number } | null {
  if (!sender || sender.id !== self.id) return null;
  const tabId = sender.tab?.id;
  if (!isTabId(tabId)) return null;
  const frame = sender.frameId ?? 0;
  return isTabId(frame) ? { tabId, frame } : null;
}
