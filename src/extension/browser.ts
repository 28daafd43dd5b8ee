/**
 * The thin browser-API wrapper the panel and devtools page use. `runtime`/`storage`/`permissions` go through
 * webextension-polyfill; `devtools.*` is used directly (the polyfill's devtools coverage is incomplete) from
 * `browser.devtools` (Firefox) or `chrome.devtools` (Chrome).
 */
import browser from "webextension-polyfill";

export { browser };
export const runtime = browser.runtime;
/** Per-deployment configs and preferences only; never tokens. */
export const storageLocal = browser.storage.local;

type Devtools = typeof chrome.devtools;

/** The DevTools APIs, or null outside a DevTools page (panel-in-a-tab mode). */
export function devtools(): Devtools | null {
  const g = globalThis as { browser?: { devtools?: Devtools }; chrome?: { devtools?: Devtools } };
  return g.browser?.devtools ?? g.chrome?.devtools ?? null;
}

/**
 * The inspected tab: `inspectedWindow.tabId` inside DevTools, else `?tabId=N` in the URL (panel-in-a-tab
 * mode). Null when neither is present or valid.
 */
export function inspectedTabId(search: string = globalThis.location?.search ?? ""): number | null {
  const dt = devtools();
  const fromDevtools = dt?.inspectedWindow?.tabId;
  if (typeof fromDevtools === "number" && fromDevtools >= 0) return fromDevtools;
  const raw = new URLSearchParams(search).get("tabId");
  if (raw === null || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

export type Theme = "light" | "dark";

/** DevTools' theme: Chrome says "default" or "dark"; Firefox "light" or "dark" (its "auto" setting arrives resolved). */
export function themeName(): Theme {
  const name = devtools()?.panels?.themeName;
  if (name === "dark") return "dark";
  if (typeof name === "string") return "light";
  return globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Calls back on theme changes; returns an unsubscribe (a no-op where the browser cannot unsubscribe). */
export function onThemeChange(cb: (theme: Theme) => void): () => void {
  const panels = devtools()?.panels as
    | (Devtools["panels"] & {
        setThemeChangeHandler?: (h?: (name: string) => void) => void;
        onThemeChanged?: { addListener(h: (name: string) => void): void; removeListener(h: (name: string) => void): void };
      })
    | undefined;
  const map = (name: string): Theme => (name === "dark" ? "dark" : "light");
  if (panels?.setThemeChangeHandler) {
    const h = (name: string) => cb(map(name));
    panels.setThemeChangeHandler(h);
    return () => panels.setThemeChangeHandler?.(undefined);
  }
  if (panels?.onThemeChanged) {
    const h = (name: string) => cb(map(name));
    panels.onThemeChanged.addListener(h);
    return () => panels.onThemeChanged?.removeListener(h);
  }
  const mq = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
  if (!mq) return () => {};
  const h = (e: MediaQueryListEvent) => cb(e.matches ? "dark" : "light");
  mq.addEventListener("change", h);
  return () => mq.removeEventListener("change", h);
}

/**
 * Reloads the inspected page ("Reload to capture"). Inside DevTools through `inspectedWindow.reload`;
 * in panel-in-a-tab mode through `tabs.reload` (allowed without the `tabs` permission). False if neither works.
 */
export async function reloadInspected(tabId: number | null = inspectedTabId()): Promise<boolean> {
  const dt = devtools();
  if (dt?.inspectedWindow?.reload) {
    dt.inspectedWindow.reload({ ignoreCache: false });
    return true;
  }
  if (tabId === null || !browser.tabs?.reload) return false;
  try {
    await browser.tabs.reload(tabId);
    return true;
  } catch {
    return false;
  }
}

/** `https://issuer.example/any/path` → `https://issuer.example/*` (the optional host pattern to ask for). */
export function originPattern(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

/**
 * Asks for the optional host permission of a URL's origin, so the panel may read answers from it (Allow reading).
 * Must be called first thing in a click handler: the browser grants requests only inside the user's gesture.
 * False when refused, or for anything that throws.
 */
export async function requestHostPermission(url: string): Promise<boolean> {
  const pattern = originPattern(url);
  if (!pattern) return false;
  try {
    // Called synchronously here (before any await), so the gesture still holds.
    return await browser.permissions.request({ origins: [pattern] });
  } catch {
    return false;
  }
}

/**
 * Calls back with the origin patterns of host permissions the user grants from now on (our own request, or the
 * browser's site-access settings). Returns an unsubscribe; a no-op where the API is missing.
 */
export function onHostPermissionsAdded(cb: (origins: string[]) => void): () => void {
  const added = browser.permissions?.onAdded;
  if (!added) return () => {};
  const h = (p: { origins?: string[] }) => cb(p.origins ?? []);
  added.addListener(h);
  return () => added.removeListener(h);
}
