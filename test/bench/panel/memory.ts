/**
 * Memory of the panel side: the panel page's JS heap after a GC (CDP), and the resident memory of the
 * extension's renderer process(es) — the panel page and the background — read from /proc (Linux), found as
 * `--extension-process` renderers below the browser that uses `profileDir`.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { BrowserContext, Page } from "@playwright/test";

export async function panelHeapMB(context: BrowserContext, panel: Page): Promise<number> {
  const cdp = await context.newCDPSession(panel);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.detach();
  return heap.usedSize / 1e6;
}

/** Sum of VmRSS (MB) of the extension renderer processes of the browser using `profileDir`; null off Linux. */
export function extensionRssMB(profileDir: string): number | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const read = (pid: string, file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, "utf8");
    } catch {
      return "";
    }
  };
  const parent = (pid: string) => /PPid:\s+(\d+)/.exec(read(pid, "status"))?.[1] ?? "0";
  const ours = (pid: string): boolean => {
    for (let p = pid, hops = 0; p !== "0" && p !== "1" && hops < 6; p = parent(p), hops++) if (read(p, "cmdline").includes(profileDir)) return true;
    return false;
  };
  let kb = 0;
  for (const pid of pids) {
    const cmd = read(pid, "cmdline");
    if (!cmd.includes("--type=renderer") || !cmd.includes("--extension-process") || !ours(pid)) continue;
    kb += Number(/VmRSS:\s+(\d+)/.exec(read(pid, "status"))?.[1] ?? 0);
  }
  return kb / 1024;
}
