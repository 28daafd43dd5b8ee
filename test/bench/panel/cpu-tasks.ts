/**
 * Long tasks by the panel thread's own CPU time: a trace (CDP Tracing, `RunTask` events with their thread
 * duration `tdur`) of the panel page's main thread, which a `performance.mark` names in the trace. On a shared
 * machine (and under `nice`) a task's wall time includes the time the thread waited for a core; its thread time
 * does not, so this counts the tasks the panel itself made long. The wall-clock long tasks are reported beside it.
 */
import type { BrowserContext, Page } from "@playwright/test";

type TraceEvent = { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number };

export interface CpuTasks {
  /** Tasks on the panel's main thread over 50 ms of thread time. */
  count: number;
  longestMs: number;
  /** Thread time of all its tasks. */
  totalMs: number;
}

const MARK = "cai-bench-panel-thread";

/** Starts a trace; the returned function stops it and reads the panel's main-thread tasks. */
export async function traceCpuTasks(context: BrowserContext, panel: Page): Promise<() => Promise<CpuTasks>> {
  const cdp = await context.newCDPSession(panel);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (d) => {
    for (const e of d.value as unknown as TraceEvent[]) if ((e.name === "RunTask" && e.ph === "X") || e.name === MARK) events.push(e);
  });
  await cdp.send("Tracing.start", { categories: "disabled-by-default-devtools.timeline,blink.user_timing", transferMode: "ReportEvents" });
  await panel.evaluate((m) => performance.mark(m), MARK);
  return async () => {
    const done = new Promise<void>((r) => cdp.once("Tracing.tracingComplete", () => r()));
    await cdp.send("Tracing.end");
    await done;
    await cdp.detach();
    const mark = events.find((e) => e.name === MARK);
    if (!mark) throw new Error("the panel's thread is not in the trace");
    const tasks = events.filter((e) => e.name === "RunTask" && e.pid === mark.pid && e.tid === mark.tid).map((e) => (e.tdur ?? 0) / 1000);
    return { count: tasks.filter((ms) => ms > 50).length, longestMs: Math.round(Math.max(0, ...tasks)), totalMs: Math.round(tasks.reduce((a, b) => a + b, 0)) };
  };
}
