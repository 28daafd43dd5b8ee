/**
 * The DevTools page: always creates the panel (the panel itself explains "no Convex traffic yet"), so the
 * user never has to reload DevTools after the app starts talking to Convex.
 */
import { devtools } from "./browser";
import { connectPanel } from "./panel-port";

/** Root-relative paths: crxjs emits the panel at this path, and relative ones break in Chrome. */
export const PANEL_TITLE = "Convex Auth";
export const PANEL_PAGE = "/src/panel/panel.html";
export const PANEL_ICON = "/icons/icon-32.png";

const dt = devtools();
if (dt?.panels) {
  // Firefox returns a promise, Chrome takes an optional callback; neither result is needed.
  void dt.panels.create(PANEL_TITLE, PANEL_ICON, PANEL_PAGE);
}

// Tests drive the one port implementation from this extension page (inside DevTools, or opened as a tab) to
// count events end to end. Extension-origin only: web pages cannot reach it.
(globalThis as Record<string, unknown>).__caiTest = { connectPanel };
