/**
 * Benchmark: the panel under load (issue 9). Real Chromium with the built extension (dist/chrome), the real
 * `convex` client on test/bench/page, and the panel opened in a tab (`panel.html?tabId=N`: the same bundle and
 * port to the background as inside DevTools). Not a test: it prints each figure beside its goal.
 *   npx tsx test/bench/panel.bench.ts [seconds=60]      (CAI_BENCH_VERBOSE=1 lists each long task;
 *   CAI_BENCH_EXT=<dist/chrome> benches another build; CAI_BENCH_COUNT Transitions per phase, in thousands: 49000
 *   makes the panel hold ~98,100 events without a trim step)
 * 1. Sustained: 50,000 ~1 KB Transitions paced evenly over `seconds` (bursts of 1,000).
 * 2. Full speed: another 50,000 as fast as the client takes them — the panel has then received 100,000+.
 * 3. Long timeline: Transitions make no timeline rows, so a raw sync socket subscribes CAI_BENCH_ROWS (50,000)
 *    times, one row each.
 * After each phase: silent loss = the background's last n − what the panel received (held + the exact count its
 * bound let go, from its banner; a `dropped` marker for events it never saw would count as one, so a loss
 * shows); long tasks (> 50 ms) on the panel's thread during the phase, by wall time (PerformanceObserver) and
 * by the thread's own CPU time (cpu-tasks.ts: on a loaded machine wall time includes waiting for a core). After
 * phase 2 and 3: search typed → first frame after the result rendered, rAF deltas while scrolling the timeline, the panel
 * page's JS heap after GC (CDP), and the resident memory of the extension's process (panel page, background).
 */
import { loadavg } from "node:os";
import { extensionRssMB, panelHeapMB } from "./panel/memory.ts";
import { scrollFrames, searchTimes } from "./panel/measure.ts";
import { fullSpeed, longTimeline, sustained, type Settled } from "./panel/phases.ts";
import { openPanelRig, type LongTasks, type PanelRig } from "./panel/setup.ts";
import { traceCpuTasks, type CpuTasks } from "./panel/cpu-tasks.ts";

const SECONDS = Number(process.argv[2] ?? 60);
const COUNT = Number(process.env.CAI_BENCH_COUNT ?? 50_000);
const ROWS = Number(process.env.CAI_BENCH_ROWS ?? 50_000);

const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const goal = (ok: boolean) => (ok ? "meets" : "MISSES");

function received(s: Settled): string {
  const loss = s.bg.lastN - s.panel.received;
  return (
    `silent loss ${loss} [goal 0: ${goal(loss === 0)}] — background numbered ${s.bg.lastN}, panel received ${s.panel.received} ` +
    `(holds ${s.panel.events}, its bound let go ${s.panel.trimmed}; background-evicted banner ${s.panel.evicted}; timeline rows ${s.panel.rows})`
  );
}

let cpuAt = 0;
let trace: (() => Promise<CpuTasks>) | null = null;

/**
 * The phase's long tasks (since the last call), by wall time and by the panel thread's own CPU time (a trace:
 * on a loaded machine a task's wall time includes waiting for a core), and the panel thread's CPU time.
 */
async function tasks(rig: PanelRig): Promise<string> {
  const lt: LongTasks = await rig.longTasks();
  const cpu = await rig.threadCpuMs();
  const own = trace ? await trace() : null;
  trace = null;
  const used = cpu - cpuAt;
  cpuAt = cpu;
  if (process.env.CAI_BENCH_VERBOSE && lt.at.length) console.log(lt.at.map((a) => `    ${a}`).join("\n"));
  const byCpu = own ? `; by its own CPU time ${own.count} over 50 ms, longest ${own.longestMs} ms` : "";
  return `long tasks ${lt.count}, longest ${lt.longest} ms [goal none over 50 ms: ${goal(lt.count === 0)}]${byCpu}; panel main-thread CPU ${(used / 1000).toFixed(1)} s`;
}

/** Traces the panel's thread for the next `tasks` report (one trace at a time: views trace their scroll). */
async function traced<T>(rig: PanelRig, phase: () => Promise<T>): Promise<T> {
  trace = await traceCpuTasks(rig.context, rig.panel);
  return phase();
}

async function views(rig: PanelRig, what: string, queries: string[]): Promise<void> {
  const search = await searchTimes(rig.panel, queries);
  const worst = Math.max(...search.map((s) => s.ms));
  console.log(`  ${what}: search → rendered, ms: ${search.map((s) => `"${s.q}" ${s.ms.toFixed(1)} (${s.rows} rows)`).join("; ")} [goal < 50: ${goal(worst < 50)}]`);
  const stop = await traceCpuTasks(rig.context, rig.panel);
  const scroll = await scrollFrames(rig.panel);
  const own = await stop();
  console.log(
    `  ${what}: scroll ${scroll.frames} frames over ${scroll.rows} rows, max ${scroll.max.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms [goal no frame over 50 ms: ${goal(scroll.max <= 50)}]; ` +
      `the panel thread's longest task by its own CPU time ${own.longestMs} ms (${own.count} over 50 ms)`,
  );
  if (process.env.CAI_BENCH_VERBOSE && scroll.slow.length) console.log(scroll.slow.map((x) => `    ${x}`).join("\n"));
  const heap = await panelHeapMB(rig.context, rig.panel);
  const rss = extensionRssMB(rig.profileDir);
  console.log(`  ${what}: panel JS heap after GC ${heap.toFixed(1)} MB [goal < 200 MB: ${goal(heap < 200)}]; extension process resident ${rss === null ? "n/a" : `${rss.toFixed(0)} MB`} (panel page and background)`);
}

console.log(`load average at start: ${load()}`);
const rig = await openPanelRig();
try {
  // The panel in front throughout, as when someone watches it.
  await rig.panel.bringToFront();
  await tasks(rig);
  const a = await traced(rig, () => sustained(rig, COUNT, SECONDS));
  console.log(`1. sustained: ${COUNT} Transitions in ${(a.ms / 1000).toFixed(1)} s (${a.late} bursts late) = ${Math.round((COUNT * 60_000) / a.ms)}/min [goal 50,000/min]`);
  console.log(`  ${received(a.end)}\n  ${await tasks(rig)}`);

  const b = await traced(rig, () => fullSpeed(rig, COUNT));
  console.log(`2. full speed: ${COUNT} more in ${(b.ms / 1000).toFixed(1)} s = ${Math.round((COUNT * 60_000) / b.ms)}/min`);
  console.log(`  ${received(b.end)}\n  ${await tasks(rig)}`);
  await views(rig, `holding ${b.end.panel.events}`, ["Transition", "zzz-no-match", "page", ""]);

  await tasks(rig);
  const c = await traced(rig, () => longTimeline(rig, ROWS));
  console.log(`3. long timeline: ${ROWS} subscriptions in ${(c.ms / 1000).toFixed(1)} s`);
  console.log(`  ${received(c.end)}\n  ${await tasks(rig)}`);
  await views(rig, `${c.end.panel.rows} timeline rows`, ["bench:q42", "zzz-no-match", "subscribed", "q1", ""]);
} finally {
  await rig.close();
}
console.log(`load average at end: ${load()}`);
