/**
 * Reading and driving the panel's key-fetch decisions (views/FetchKeys.tsx) from a spec: the `fetched` rows (what
 * was requested, why, what came back), the `not-fetched` rows (what was not, why), and the Fetch keys / Allow
 * reading buttons, by their stable data-testid attributes.
 */
import { expect } from "@playwright/test";
import { waitForPanel, type PanelView } from "../panel/panel-view.ts";
import { DISCOVERY_PATH, type Counting } from "../support/counting-issuer.ts";

export interface Row {
  url: string;
  origin: string;
  state: string;
  text: string;
}

const ROWS = (testid: string) =>
  `Array.from(document.querySelectorAll('[data-testid="${testid}"]')).map((e) => ({ url: e.getAttribute('data-url'), origin: e.getAttribute('data-origin') || '', state: e.getAttribute('data-state') || '', text: e.textContent }))`;

export const fetchedRows = (view: PanelView) => view.eval<Row[]>(ROWS("fetched"));
export const notFetchedRows = (view: PanelView) => view.eval<Row[]>(ROWS("not-fetched"));

/** Polls `read` until `ok` holds; fails with the last value. */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Clicks the button with `testid` for one origin (fails if the panel shows none). */
export async function clickFor(view: PanelView, testid: "fetch-keys" | "allow-reading", origin: string): Promise<void> {
  const clicked = await view.eval<boolean>(`(() => {
    const b = Array.from(document.querySelectorAll('[data-testid="${testid}"]')).find((e) => e.getAttribute('data-origin') === ${JSON.stringify(origin)});
    if (!b) return false;
    b.click();
    return true;
  })()`);
  if (!clicked) throw new Error(`no ${testid} button for ${origin}`);
}

/** The origins the panel offers a button for. */
export const buttonOrigins = (view: PanelView, testid: "fetch-keys" | "allow-reading") =>
  view.eval<string[]>(`Array.from(document.querySelectorAll('[data-testid="${testid}"]')).map((e) => e.getAttribute('data-origin'))`);

/** Waits long enough for a silent fetch to have happened (the prediction runs within ms of its trigger). */
export const settle = (ms = 1_000) => new Promise((r) => setTimeout(r, ms));

/**
 * The consent path end to end: before, nothing reached `issuer` and one Fetch keys button waits for its origin;
 * the click makes the verdict accepted with exactly discovery + jwks requested, both listed as read because of it.
 */
export async function expectOneClickFetchesExactly(view: PanelView, issuer: Counting): Promise<void> {
  expect(await buttonOrigins(view, "fetch-keys")).toEqual([issuer.base]);
  await settle();
  expect(issuer.hits).toEqual([]);

  await clickFor(view, "fetch-keys", issuer.base);
  await waitForPanel(view, (s) => s.predicted === "accepted", "the accepted prediction after the click");
  expect(issuer.hits).toEqual([DISCOVERY_PATH, "/jwks"]);
  const rows = await fetchedRows(view);
  expect(rows.map((r) => [r.url, r.state])).toEqual([
    [`${issuer.base}${DISCOVERY_PATH}`, "read"],
    [`${issuer.base}/jwks`, "read"],
  ]);
  for (const r of rows) expect(r.text).toContain(`you clicked Fetch keys for ${issuer.base}`);
  expect(await notFetchedRows(view)).toEqual([]);
}
