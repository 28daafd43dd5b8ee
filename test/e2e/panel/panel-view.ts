/**
 * One way to read and drive the panel, whether it runs as the real DevTools panel (a CDP handle from the
 * fixtures) or as panel.html?tabId=N in a normal tab (a Playwright Page). Everything goes through string
 * expressions evaluated inside panel.html, reading the stable data-testid attributes.
 */
import type { Page } from "@playwright/test";

export interface PanelView {
  /** Evaluate a JS expression (string) inside panel.html and return its JSON-serialisable value. */
  eval<T>(expression: string): Promise<T>;
}

/** Anything with `evaluate(string)`: the fixtures' real-panel handle, or a Playwright Page / Frame. */
export function viewOf(target: { evaluate: (expr: string) => Promise<unknown> } | Page): PanelView {
  return { eval: <T>(expr: string) => (target as { evaluate: (e: string) => Promise<unknown> }).evaluate(expr) as Promise<T> };
}

export interface Snapshot {
  connections: { id: string; state: string; auth: string; identity: string }[];
  verdict: string | null;
  /** `data-verdict-source` of the headline: observed (the server answered) or predicted. */
  verdictSource: string | null;
  /** The prediction beside an observed headline (`none` while there is none). */
  predicted: string | null;
  /** The prediction's state (`done`, `running`, `no-providers`, …). */
  predictionState: string | null;
  expectedCode: string | null;
  expectedMessage: string | null;
  /** The error the backend actually sent for the inspected token (as the session observed it). */
  observedError: string | null;
  /** `message` and `fix` are the full texts (data-full), never UI text such as a "show all" button. */
  findings: { id: string; severity: string; source: string; message: string; fix: string }[];
  bannerReload: boolean;
  timelineRows: number;
  providersSource: string | null;
  theme: string | null;
  /** The file name on the imported-file bar (null while the live tab is shown). */
  importedFile: string | null;
}

const SNAPSHOT = `(() => {
  const q = (s) => Array.from(document.querySelectorAll(s));
  const one = (s) => document.querySelector(s);
  return {
    connections: q('[data-testid="connection"]').map((e) => ({
      id: e.getAttribute('data-id'), state: e.getAttribute('data-state'), auth: e.getAttribute('data-auth'),
      identity: ((el) => el ? ((el.querySelector('[data-full]') || el).getAttribute('data-full') || el.textContent || '') : '')(e.querySelector('[data-testid="connection-identity"]')),
    })),
    verdict: one('[data-testid="verdict"]') ? one('[data-testid="verdict"]').getAttribute('data-verdict') : null,
    verdictSource: one('[data-testid="verdict"]') ? one('[data-testid="verdict"]').getAttribute('data-verdict-source') : null,
    predicted: one('[data-testid="verdict"]') ? one('[data-testid="verdict"]').getAttribute('data-predicted') : null,
    predictionState: one('[data-testid="verdict"]') ? one('[data-testid="verdict"]').getAttribute('data-state') : null,
    expectedCode: one('[data-testid="expected-error"]') ? one('[data-testid="expected-error"]').getAttribute('data-code') : null,
    expectedMessage: one('[data-testid="expected-message"]') ? one('[data-testid="expected-message"]').textContent : null,
    observedError: one('[data-testid="token-observed-error"]') ? one('[data-testid="token-observed-error"]').getAttribute('data-full') : null,
    findings: q('[data-testid="finding"]').map((e) => ({ id: e.getAttribute('data-id'), severity: e.getAttribute('data-severity'), source: e.getAttribute('data-source'), message: (e.querySelector('.message') || { getAttribute: () => '' }).getAttribute('data-full') || '', fix: (e.querySelector('.fix') || { getAttribute: () => '' }).getAttribute('data-full') || '' })),
    bannerReload: !!one('[data-testid="banner-reload"]'),
    timelineRows: Number((one('[data-testid="timeline-rows"]') || { getAttribute: () => 0 }).getAttribute('data-count') || 0),
    providersSource: one('[data-testid="providers"]') ? one('[data-testid="providers"]').getAttribute('data-source') : null,
    theme: document.documentElement.dataset.theme || null,
    importedFile: one('[data-testid="import-banner"]') ? one('[data-testid="import-banner"]').getAttribute('data-file') : null,
  };
})()`;

export function snapshot(view: PanelView): Promise<Snapshot> {
  return view.eval<Snapshot>(SNAPSHOT);
}

/** Poll the panel until `ok` holds; on timeout, fail with the last snapshot so the reason is visible. */
export async function waitForPanel(view: PanelView, ok: (s: Snapshot) => boolean, what: string, timeoutMs = 15_000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: Snapshot | null = null;
  while (Date.now() < deadline) {
    try {
      last = await snapshot(view);
      if (ok(last)) return last;
    } catch {
      // The panel document may be reloading; try again.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Timed out waiting for ${what}. Last panel state: ${JSON.stringify(last, null, 1)}`);
}

/** Paste a config into the Config editor for the first deployment and save it (drives the real UI). */
export function pasteConfig(view: PanelView, text: string): Promise<void> {
  return pasteConfigWithEnv(view, text, {});
}

export const ids = (s: Snapshot) => s.findings.map((f) => f.id);

/** Paste an auth.config text, fill the env values it reads (as a user types them), and save. */
export async function pasteConfigWithEnv(view: PanelView, text: string, env: Record<string, string>): Promise<void> {
  await view.eval(`(async () => {
    const section = document.querySelector('[data-testid="config-section"]');
    section.open = true;
    await new Promise((r) => setTimeout(r, 50));
    const ta = document.querySelector('[data-testid="config-text"]');
    if (!ta) throw new Error('config editor not rendered (no deployment seen yet?)');
    ta.value = ${JSON.stringify(text)};
    ta.dispatchEvent(new Event('input', { bubbles: true }));
    for (const [name, value] of Object.entries(${JSON.stringify(env)})) {
      let input = null;
      for (let i = 0; i < 40 && !input; i++) {
        await new Promise((r) => setTimeout(r, 25));
        input = document.querySelector('[data-testid="env-' + name + '"]');
      }
      if (!input) throw new Error('no env input for ' + name);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await new Promise((r) => setTimeout(r, 50));
    if (document.querySelector('[data-testid="config-unresolved"]')) throw new Error('env values still unresolved');
    document.querySelector('[data-testid="config-save"]').click();
    return true;
  })()`);
}

/** Forget the config saved for the shown deployment (the editor's Forget button), if there is one. */
export async function forgetConfig(view: PanelView): Promise<boolean> {
  return view.eval<boolean>(`(async () => {
    const section = document.querySelector('[data-testid="config-section"]');
    if (section) section.open = true;
    await new Promise((r) => setTimeout(r, 50));
    const forget = document.querySelector('[data-testid="config-remove"]');
    if (!forget) return false;
    forget.click();
    return true;
  })()`);
}
