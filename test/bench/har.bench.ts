/**
 * Benchmark: `convex-auth-inspector analyze` on a generated ~100 MB HAR of a busy app (har-100mb.ts), measured
 * with /usr/bin/time -v: wall time and peak RSS of the whole process. Budget (issue 8): ≤ 5 s and ≤ 1 GB.
 * Also the worst case for the session reducer (one socket of ~450 000 small frames), reported but not gated.
 *   npx tsx test/bench/har.bench.ts [runs] [megabytes]
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBusyHar, writeSmallFramesHar } from "./har-100mb";

const RUNS = Number(process.argv[2] ?? 3);
const MB = Number(process.argv[3] ?? 100);
const root = fileURLToPath(new URL("../../", import.meta.url));
spawnSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: root, stdio: "inherit" });

interface Figures {
  size: number;
  walls: number[];
  rss: number[];
}

async function measure(profile: "busy" | "small-frames"): Promise<Figures> {
  const file = join(tmpdir(), `cai-${profile}-${MB}mb.har`);
  if (!existsSync(file)) {
    const r = await (profile === "busy" ? writeBusyHar : writeSmallFramesHar)(file, MB);
    console.log(`generated ${file}: ${r.entries} entries, ${r.frames} WebSocket messages`);
  }
  const walls: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync("/usr/bin/time", ["-v", process.execPath, "bin/convex-auth-inspector.mjs", "analyze", file, "--offline", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`analyze exited ${r.status}: ${r.stderr.split("\n")[0]}`);
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
    const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (!wall || !peak) throw new Error("could not read /usr/bin/time -v output");
    walls.push(Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]));
    rss.push(Number(peak[1]) / 1024);
    if (i === 0) {
      const out = JSON.parse(r.stdout) as { connections: unknown[]; requests: unknown[]; tokens: unknown[]; findings: unknown[] };
      console.log(`${profile}: ${out.connections.length} connections, ${out.requests.length} requests, ${out.tokens.length} tokens, ${out.findings.length} findings`);
    }
  }
  return { size: statSync(file).size, walls, rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function report(name: string, f: Figures): void {
  const [l1, l5] = loadavg();
  console.log(`analyze on a ${(f.size / 1024 / 1024).toFixed(1)} MiB HAR (${name}), ${RUNS} runs (load average now ${l1!.toFixed(2)} / ${l5!.toFixed(2)}):`);
  console.log(`  wall     median ${median(f.walls).toFixed(2)} s  (max ${Math.max(...f.walls).toFixed(2)} s; budget 5 s)`);
  console.log(`  peak RSS median ${median(f.rss).toFixed(0)} MiB (max ${Math.max(...f.rss).toFixed(0)} MiB; budget 1024 MiB)`);
}

const busy = await measure("busy");
report("a busy app", busy);
// The reducer's worst case is reported, not gated: its time is decoding ~450 000 frames, on a shared machine.
report("worst case: ~450 000 small frames on one socket", await measure("small-frames"));
if (median(busy.walls) > 5 || Math.max(...busy.rss) > 1024) {
  console.error("over budget");
  process.exit(1);
}
