/**
 * Drives the extension's one panel-port implementation (`connectPanel`, exposed by devtools.ts as
 * `__caiTest`) inside an extension page, and reads back what it delivered: the panel's view of the stream.
 */
import type { BrowserContext, Page } from "@playwright/test";
import type { CapturedEvent } from "../../../../src/core/session/types";

export interface Evaluator {
  evaluate<T = unknown>(fn: string | ((arg: any) => unknown), arg?: unknown): Promise<T>;
}

/** devtools.html opened as a normal tab: an extension page with `__caiTest` but no `chrome.devtools`. */
export async function openExtensionPage(context: BrowserContext, extensionId: string): Promise<Page> {
  const p = await context.newPage();
  await p.goto(`chrome-extension://${extensionId}/src/extension/devtools.html`);
  await p.waitForFunction(() => "__caiTest" in globalThis);
  return p;
}

export interface Collected {
  events: CapturedEvent[];
  backlogs: { hookSeen: boolean; count: number }[];
  /** The largest `evicted` count delivered (older events the background let go while this port was live). */
  evicted: number;
}

/** Starts collector `name` on `tabId` (null: the DevTools page's inspected tab). */
export async function startCollector(where: Evaluator, name: string, tabId: number | null): Promise<void> {
  await where.evaluate(
    ({ name, tabId }: { name: string; tabId: number | null }) => {
      const g = globalThis as any;
      const id = tabId ?? g.chrome.devtools.inspectedWindow.tabId;
      const c = { events: [] as unknown[], backlogs: [] as unknown[], evicted: 0, conn: null as any };
      c.conn = g.__caiTest.connectPanel(id, (m: any) => {
        if (m.type === "backlog") c.backlogs.push({ hookSeen: m.hookSeen, count: m.events.length });
        if (typeof m.evicted === "number") c.evicted = Math.max(c.evicted, m.evicted);
        if (Array.isArray(m.events)) c.events.push(...m.events);
      });
      (g.__collectors ??= {})[name] = c;
      return true;
    },
    { name, tabId },
  );
}

export function readCollector(where: Evaluator, name: string): Promise<Collected> {
  return where.evaluate((n: string) => {
    const c = (globalThis as any).__collectors[n];
    return { events: c.events, backlogs: c.backlogs, evicted: c.evicted };
  }, name);
}

export async function stopCollector(where: Evaluator, name: string): Promise<void> {
  await where.evaluate((n: string) => {
    const c = (globalThis as any).__collectors[n];
    c.conn.close();
    return true;
  }, name);
}

/** Polls until the collector holds events satisfying `ok`. */
export async function waitCollected(
  where: Evaluator,
  name: string,
  ok: (c: Collected) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<Collected> {
  const end = Date.now() + timeoutMs;
  let c = await readCollector(where, name);
  while (!ok(c)) {
    if (Date.now() > end) {
      const kinds = c.events.map((e) => e.ev.k).join(",");
      throw new Error(`timed out waiting for ${what}; collected ${c.events.length}: ${kinds.slice(0, 400)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    c = await readCollector(where, name);
  }
  return c;
}

export const kindsOf = (events: CapturedEvent[]) => events.map((e) => e.ev.k);
export const count = (events: CapturedEvent[], k: string) => events.filter((e) => e.ev.k === k).length;

/** The panel's stream must be numbered 1..N without gaps or repeats. */
export function gapFree(events: CapturedEvent[]): boolean {
  return events.every((e, j) => e.n === j + 1);
}

/** Every page event (doc, i) appears at most once, and per document in index order. */
export function uniqueInOrder(events: CapturedEvent[]): boolean {
  const last = new Map<string, number>();
  for (const e of events) {
    if (e.i === undefined) continue;
    const prev = last.get(e.doc);
    if (prev !== undefined && e.i <= prev) return false;
    last.set(e.doc, e.i);
  }
  return true;
}
