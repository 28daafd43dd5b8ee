/**
 * Benchmark: `convex-auth-inspector analyze` on a generated ~100 MB HAR of a busy app (har-100mb.ts), measured
 * with /usr/bin/time -v: wall time and peak RSS of the whole process. Budget (issue 8): ≤ 5 s and ≤ 1 GB.
 *   npx tsx test/bench/har.bench.ts [runs] [megabytes]
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBusyHar } from "./har-100mb";

const RUNS = Number(process.argv[2] ?? 3);
const MB = Number(process.argv[3] ?? 100);
const root = fileURLToPath(new URL("../../", import.meta.url));
spawnSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: root, stdio: "inherit" });

const file = join(tmpdir(), `cai-busy-${MB}mb.har`);
if (!existsSync(file)) {
  const r = await writeBusyHar(file, MB);
  console.log(`generated ${file}: ${r.entries} entries, ${r.frames} WebSocket messages`);
}
const size = statSync(file).size;

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
    console.log(`analysed: ${out.connections.length} connections, ${out.requests.length} requests, ${out.tokens.length} tokens, ${out.findings.length} findings`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [l1, l5] = loadavg();
console.log(`analyze on a ${(size / 1024 / 1024).toFixed(1)} MiB HAR, ${RUNS} runs (load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)}):`);
console.log(`  wall     median ${median(walls).toFixed(2)} s  (max ${Math.max(...walls).toFixed(2)} s; budget 5 s)`);
console.log(`  peak RSS median ${median(rss).toFixed(0)} MiB (max ${Math.max(...rss).toFixed(0)} MiB; budget 1024 MiB)`);
if (Math.max(...walls) > 5 || Math.max(...rss) > 1024) {
  console.error("over budget");
  process.exit(1);
}
