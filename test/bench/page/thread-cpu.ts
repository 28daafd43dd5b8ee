/**
 * CPU time actually spent on the page renderers' main threads, read from Linux's per-thread scheduler
 * statistics (`/proc/<pid>/task/<pid>/schedstat`: nanoseconds on a CPU; a renderer's main thread has the
 * process's own id). Unlike CDP's TaskDuration (wall time of tasks), it does not grow while the thread waits for
 * a core, so ratios stay meaningful on a machine shared with other builds and browsers. Linux only.
 *
 * The renderers are found below one browser process (by its `--user-data-dir`): every `--type=renderer`
 * process except the extension's own (`--extension-process`: the service worker and extension pages, which
 * run off the page's thread). Idle tabs add nothing measurable to the sum.
 */
import { readdirSync, readFileSync } from "node:fs";

const read = (path: string): string | null => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // the process exited meanwhile
  }
};

/** Arguments; processes forked by the zygote rewrite theirs as one space-separated string, hence both splits. */
const cmdline = (pid: number): string[] => (read(`/proc/${pid}/cmdline`) ?? "").split(/[\0 ]/);
/** The parent pid: the 4th field of /proc/<pid>/stat, after the parenthesised command name. */
const parentOf = (pid: number): number => {
  const stat = read(`/proc/${pid}/stat`);
  return stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : -1;
};
const pids = (): number[] => readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);

/** The browser process launched with `--user-data-dir=<dir>`. */
export function browserPid(userDataDir: string): number {
  const pid = pids().find((p) => {
    const args = cmdline(p);
    return args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith("--type="));
  });
  if (pid === undefined) throw new Error(`no browser process with --user-data-dir=${userDataDir}`);
  return pid;
}

/** Main-thread CPU ms of each page renderer below `browser` now. */
export function pageRendererCpu(browser: number): Map<number, number> {
  const all = pids();
  const parent = new Map(all.map((p) => [p, parentOf(p)]));
  const below = (p: number): boolean => {
    for (let q = parent.get(p), hops = 0; q !== undefined && q > 1 && hops < 8; q = parent.get(q), hops++) if (q === browser) return true;
    return false;
  };
  const out = new Map<number, number>();
  for (const p of all) {
    const args = cmdline(p);
    if (!args.includes("--type=renderer") || args.includes("--extension-process") || !below(p)) continue;
    const s = read(`/proc/${p}/task/${p}/schedstat`);
    if (s) out.set(p, Number(s.split(" ")[0]) / 1e6);
  }
  return out;
}

/** CPU ms spent between two snapshots (a renderer that appeared in between counts from zero). */
export function cpuBetween(a: Map<number, number>, b: Map<number, number>): number {
  let ms = 0;
  for (const [p, v] of b) ms += v - (a.get(p) ?? 0);
  return ms;
}
