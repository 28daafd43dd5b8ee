/**
 * Where the panel's thread spends its time while events arrive: the CDP sampling profiler on the panel page
 * through one workload, then the functions with the most self time (and their callers' inclusive time).
 *   npx tsx test/bench/panel/profile.ts [timeline|sustained|full] [count]
 * `timeline` (default 30,000 rows) is where the long tasks were; `sustained` paces `count` Transitions over
 * count/50,000 min; `full` sends them at full speed. Prints the long tasks seen during the profiled phase.
 */
import { loadavg } from "node:os";
import { fullSpeed, longTimeline, sustained } from "./phases.ts";
import { openPanelRig } from "./setup.ts";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const phase = process.argv[2] ?? "timeline";
const count = Number(process.argv[3] ?? 30_000);

const rig = await openPanelRig();
try {
  const cdp = await rig.context.newCDPSession(rig.panel);
  await cdp.send("Profiler.enable");

  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await rig.longTasks();
  const cpu0 = await rig.threadCpuMs();
  await cdp.send("Profiler.start");
  const t0 = Date.now();
  if (phase === "sustained") await sustained(rig, count, (count / 50_000) * 60);
  else if (phase === "full") await fullSpeed(rig, count);
  else await longTimeline(rig, count);
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: Profile };
  const wall = Date.now() - t0;
  const threadMs = (await rig.threadCpuMs()) - cpu0;
  const lt = await rig.longTasks();
  console.log(`${phase} ${count}: ${(wall / 1000).toFixed(1)} s; panel main-thread CPU ${threadMs.toFixed(0)} ms; ${lt.count} long tasks, longest ${lt.longest} ms; load ${loadavg()[0]!.toFixed(2)}`);
  console.log(lt.at.join("\n"));
  report(profile, wall);
} finally {
  await rig.close();
}

function report(p: Profile, wall: number): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const name = (n: Node) => `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}`;
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    selfBy.set(name(n), (selfBy.get(name(n)) ?? 0) + ms);
    // Inclusive time: once per distinct function on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      totalBy.set(k, (totalBy.get(k) ?? 0) + ms);
    }
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m].filter(([n]) => !/^\((idle|program|root)\)/.test(n)).sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${n}`).join("\n");
  const busy = [...selfBy].filter(([n]) => !n.startsWith("(idle)")).reduce((a, [, ms]) => a + ms, 0);
  console.log(`busy ${busy.toFixed(0)} ms of ${wall} ms wall\nself time:\n${top(selfBy, 25)}\ninclusive:\n${top(totalBy, Number(process.env.CAI_PROFILE_TOP ?? 30))}`);
  // Busy stretches (runs of samples between idle ones) over 50 ms: roughly the long tasks, and what filled them.
  let run: { ms: number; self: Map<string, number> } = { ms: 0, self: new Map() };
  const runs: (typeof run)[] = [];
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (n.callFrame.functionName === "(idle)") {
      if (run.ms > 50) runs.push(run);
      run = { ms: 0, self: new Map() };
      return;
    }
    run.ms += ms;
    // Attribute to the outermost panel function below the task's entry, plus the leaf.
    const leaf = name(n);
    run.self.set(leaf, (run.self.get(leaf) ?? 0) + ms);
  });
  if (run.ms > 50) runs.push(run);
  console.log(`busy stretches over 50 ms: ${runs.length}`);
  for (const r of runs.sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`  ${r.ms.toFixed(0)} ms: ${top(r.self, 6).replace(/\n\s+/g, "; ")}`);
}
