/**
 * What the panel bench reads from and does in the panel page (panel.html in a tab), through the DOM only:
 * the status line, the trimmed/evicted banners (their exact counts are in `data-count`), the search box and
 * the virtualised timeline list.
 */
import type { Page } from "@playwright/test";

export interface PanelCounts {
  /** Events the panel holds (status line). */
  events: number;
  /** Events the panel let go to stay within its bound (banner's exact count). */
  trimmed: number;
  /** Older events the background let go while the panel was attached (banner's exact count). */
  evicted: number;
  /** Everything the panel received: held + trimmed. */
  received: number;
  /** Timeline rows currently shown. */
  rows: number;
}

export async function panelCounts(panel: Page): Promise<PanelCounts> {
  // Named functions inside evaluate would pick up tsx's `__name` helper, absent in the page: inline reads only.
  const c = await panel.evaluate(() => {
    const status = document.querySelector('[data-testid="status-line"]')?.textContent ?? "";
    const read = ["banner-trimmed", "banner-evicted", "timeline-rows"].map((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute("data-count") ?? 0));
    const held = Number((/^\s*([\d,.\s]+)\s*event/.exec(status)?.[1] ?? "0").replace(/[^0-9]/g, "") || 0);
    return { events: held, trimmed: read[0]!, evicted: read[1]!, rows: read[2]! };
  });
  return { ...c, received: c.events + c.trimmed };
}

/** Types each query into the timeline search and times it to the first frame after the result rendered. */
export async function searchTimes(panel: Page, queries = ["connect", "zzz-no-match", "bench", "a", ""]) {
  const out: { q: string; ms: number; rows: number }[] = [];
  for (const q of queries) {
    out.push(
      await panel.evaluate(async (q) => {
        const input = document.querySelector('[data-testid="search"]') as HTMLInputElement;
        const t = performance.now();
        input.value = q;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        // Preact renders on a microtask/timer after the signal changes: wait for the frame after that render.
        await new Promise<void>((r) => setTimeout(r, 0));
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return { q, ms: performance.now() - t, rows: Number(document.querySelector('[data-testid="timeline-rows"]')?.getAttribute("data-count") ?? 0) };
      }, q),
    );
  }
  return out;
}

/** Scrolls the timeline list top to bottom, one step per frame, and records the rAF deltas. */
export async function scrollFrames(panel: Page, frames = 300) {
  const deltas = await panel.evaluate(async (frames) => {
    const el = document.querySelector('[data-testid="timeline-rows"]') as HTMLElement;
    const step = Math.max(1, (el.scrollHeight - el.clientHeight) / frames);
    // What filled each frame over 50 ms (Long Animation Frames API): script time by invoker, then rendering.
    const slow: string[] = [];
    const loaf = new PerformanceObserver((l) => {
      for (const e of l.getEntries() as (PerformanceEntry & { renderStart: number; styleAndLayoutStart: number; blockingDuration: number; scripts: { invoker: string; duration: number; forcedStyleAndLayoutDuration: number }[] })[]) {
        if (e.duration <= 50) continue;
        const scripts = e.scripts.map((x) => `${x.invoker} ${Math.round(x.duration)} ms (forced layout ${Math.round(x.forcedStyleAndLayoutDuration)})`).join(", ");
        const render = e.renderStart ? Math.round(e.startTime + e.duration - e.renderStart) : 0;
        const layout = e.styleAndLayoutStart ? Math.round(e.startTime + e.duration - e.styleAndLayoutStart) : 0;
        slow.push(`${Math.round(e.duration)} ms frame: scripts [${scripts || "none"}]; rendering ${render} ms of which style+layout ${layout} ms`);
      }
    });
    loaf.observe({ type: "long-animation-frame" });
    const ds: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < frames; i++) {
      el.scrollTop += step;
      const now = await new Promise<number>((r) => requestAnimationFrame(r));
      ds.push(now - last);
      last = now;
    }
    await new Promise((r) => setTimeout(r, 100));
    loaf.disconnect();
    return { ds, slow, rows: Number(el.getAttribute("data-count") ?? 0), scrollable: el.scrollHeight > el.clientHeight };
  }, frames);
  const s = [...deltas.ds].sort((a, b) => a - b);
  return { frames: s.length, rows: deltas.rows, scrollable: deltas.scrollable, max: s.at(-1) ?? 0, p95: s[Math.floor(0.95 * (s.length - 1))] ?? 0, slow: deltas.slow };
}
