/**
 * A CDP session to a child target (the DevTools window, its devtools.html and panel.html iframes) through a
 * browser-level Playwright CDPSession. Playwright's send() cannot address flatten:true sessions, so this uses
 * `Target.attachToTarget({flatten:false})` + `Target.sendMessageToTarget` (recipe §3a).
 */
import type { CDPSession } from "@playwright/test";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string };

export class ChildSession {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private readonly onMessage: (e: { sessionId: string; message: string }) => void;

  private constructor(
    private readonly browser: CDPSession,
    readonly sessionId: string,
    readonly targetId: string,
  ) {
    this.onMessage = (e) => {
      if (e.sessionId !== this.sessionId) return;
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    };
    browser.on("Target.receivedMessageFromTarget", this.onMessage);
  }

  static async attach(browser: CDPSession, targetId: string): Promise<ChildSession> {
    const { sessionId } = (await browser.send("Target.attachToTarget", { targetId, flatten: false })) as {
      sessionId: string;
    };
    return new ChildSession(browser, sessionId, targetId);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.browser
        .send("Target.sendMessageToTarget", { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
        .catch((e: Error) => {
          this.pending.delete(id);
          reject(e);
        });
    });
  }

  /** Evaluates an expression (or a function with one JSON argument) and returns its value (awaited). */
  async evaluate<T = unknown>(fnOrExpr: string | ((arg: any) => unknown), arg?: unknown): Promise<T> {
    const expression = typeof fnOrExpr === "string" ? fnOrExpr : `(${fnOrExpr.toString()})(${JSON.stringify(arg ?? null)})`;
    const r = await this.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      "Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true },
    );
    if (r.exceptionDetails) {
      throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    }
    return r.result.value as T;
  }

  async detach(): Promise<void> {
    this.browser.off("Target.receivedMessageFromTarget", this.onMessage);
    for (const p of this.pending.values()) p.reject(new Error("detached"));
    this.pending.clear();
    await this.browser.send("Target.detachFromTarget", { sessionId: this.sessionId }).catch(() => {});
  }
}

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  parentId?: string;
  attached: boolean;
}

export async function listTargets(browser: CDPSession): Promise<TargetInfo[]> {
  const { targetInfos } = (await browser.send("Target.getTargets", { filter: [{}] })) as { targetInfos: TargetInfo[] };
  return targetInfos;
}

/** Polls until `pick` finds a target (DevTools creates its frames asynchronously). */
export async function waitForTarget(
  browser: CDPSession,
  pick: (t: TargetInfo) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<TargetInfo> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const t = (await listTargets(browser)).find(pick);
    if (t) return t;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
