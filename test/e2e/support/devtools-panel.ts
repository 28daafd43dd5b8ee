/**
 * Opening the REAL "Convex Auth" DevTools panel for a page over CDP (testing-recipes §3a): `Target.openDevTools`,
 * wait for our devtools page, `InspectorView.showPanel`, then attach to panel.html. Shared by the Playwright
 * fixtures and the demo command.
 */
import type { BrowserContext, CDPSession, Page } from "@playwright/test";
import { ChildSession, waitForTarget } from "../extension/support/cdp-child.ts";

export const PANEL_PATH = "src/panel/panel.html";
export const DEVTOOLS_PATH = "src/extension/devtools.html";
export const PANEL_TITLE = "Convex Auth";

/** Something to evaluate in: an expression string, or a function taking one JSON-serialisable argument. */
export type Evaluable = string | ((arg: any) => unknown);

/** The real DevTools panel (panel.html inside DevTools), reached over CDP. */
export interface PanelHandle {
  evaluate<T = unknown>(fn: Evaluable, arg?: unknown): Promise<T>;
  /** Polls `predicate` (evaluated in panel.html) until truthy; returns its value. */
  waitFor<T = unknown>(predicate: Evaluable, opts?: { timeout?: number; arg?: unknown }): Promise<T>;
  /** The devtools.html page of the same DevTools window (has `__caiTest.connectPanel`). */
  devtoolsPage: { evaluate<T = unknown>(fn: Evaluable, arg?: unknown): Promise<T> };
  /** The DevTools window's target id (for screenshots of the whole DevTools UI). */
  devtoolsTargetId: string;
  close(): Promise<void>;
}

export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const toExpression = (fn: Evaluable, arg: unknown) =>
  typeof fn === "string" ? fn : `(${fn.toString()})(${JSON.stringify(arg ?? null)})`;

export async function openDevToolsPanel(opts: {
  context: BrowserContext;
  browserSession: CDPSession;
  page: Page;
  extensionId: string;
}): Promise<PanelHandle> {
  const { context, browserSession, page } = opts;
  const origin = `chrome-extension://${opts.extensionId}`;
  const pageSession = await context.newCDPSession(page);
  const { targetInfo } = (await pageSession.send("Target.getTargetInfo")) as { targetInfo: { targetId: string } };
  await pageSession.detach();
  const { targetId: devtoolsId } = (await browserSession.send("Target.openDevTools" as never, { targetId: targetInfo.targetId } as never)) as {
    targetId: string;
  };
  // The devtools_page must exist before DevTools' UI can be driven (earlier, its settings are not ready).
  const dtPage = await waitForTarget(
    browserSession,
    (t) => t.url.startsWith(`${origin}/${DEVTOOLS_PATH}`) && t.parentId === devtoolsId,
    "the extension's devtools page",
  );
  const devtools = await ChildSession.attach(browserSession, devtoolsId);
  const showPanel = `(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const iv = UI.InspectorView.InspectorView.instance();
    const id = iv.tabbedPane.tabIds().find((x) => x.startsWith(${JSON.stringify(origin)}));
    if (!id) return null;
    await iv.showPanel(id);
    return id;
  })()`;
  await until(() => devtools.evaluate<string | null>(showPanel), `the "${PANEL_TITLE}" panel tab in DevTools`);
  const panelTarget = await waitForTarget(
    browserSession,
    (t) => t.url.startsWith(`${origin}/${PANEL_PATH}`) && t.parentId === devtoolsId,
    "panel.html inside DevTools",
  );
  const panel = await ChildSession.attach(browserSession, panelTarget.targetId);
  const dtSession = await ChildSession.attach(browserSession, dtPage.targetId);
  return {
    evaluate: (fn, arg) => panel.evaluate(toExpression(fn, arg)),
    waitFor: (predicate, o = {}) => until(() => panel.evaluate(toExpression(predicate, o.arg)), "the panel predicate", o.timeout ?? 10_000) as never,
    devtoolsPage: { evaluate: (fn, arg) => dtSession.evaluate(toExpression(fn, arg)) },
    devtoolsTargetId: devtoolsId,
    async close() {
      await panel.detach();
      await dtSession.detach();
      await devtools.detach();
      await browserSession.send("Target.closeTarget", { targetId: devtoolsId }).catch(() => {});
    },
  };
}
