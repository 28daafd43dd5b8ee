/**
 * Which tab this panel inspects: the real DevTools panel knows it from `inspectedWindow.tabId`; the
 * panel-in-a-tab mode (tests, Firefox fallback) gets it from `?tabId=N`. The lookup itself lives in browser.ts.
 */
import { devtools, inspectedTabId } from "../../extension/browser";

export interface TabTarget {
  tabId: number;
  /** True inside a real DevTools panel (inspectedWindow APIs available). */
  devtools: boolean;
}

export function findTab(search: string = location.search): TabTarget | { error: string } {
  const tabId = inspectedTabId(search);
  if (tabId === null) return { error: "No inspected tab: open this panel from DevTools, or add ?tabId=N (a tab id) to its URL." };
  return { tabId, devtools: devtools()?.inspectedWindow !== undefined };
}
