/**
 * Where the extension's time goes on the page's thread: runs one bench workload (or the plain page loads) in
 * Chromium with a built extension under the CDP sampling Profiler and prints the self time per function of the
 * extension's own scripts (chrome-extension:// URLs) and the total of the rest. Not a test; a profiling aid for
 * the figures in BENCHMARKS.md ("The extension's cost to a page").
 *   npx tsx test/bench/page/profile.ts [send-loop|recv-1k|recv-500k|mutations|plain] [extension dir]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../e2e/support/chromium.ts";
import { startBenchServer } from "./server.ts";

const WORKLOAD = process.argv[2] ?? "send-loop";
const EXT = resolve(process.argv[3] ?? join(import.meta.dirname, "..", "..", "..", "dist", "chrome"));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const call = (page: Page, k: string, ...args: unknown[]) =>
  page.evaluate(([k, args]) => (window as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench[k]!(...args), [k, args] as const);

async function main(): Promise<void> {
  const server = await startBenchServer();
  const dir = mkdtempSync(join(tmpdir(), "cai-profile-"));
  const args = [...CHROMIUM_FLAGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`];
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args });
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/${WORKLOAD === "plain" ? "plain?warm" : "app"}`);
    if (WORKLOAD !== "plain") {
      await call(page, "setup", server.origin);
      await call(page, "recv", 200, 1000);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
    await cdp.send("Profiler.start");
    if (WORKLOAD === "plain") for (let i = 0; i < 20; i++) await page.goto(`${server.origin}/plain?${i}`);
    else if (WORKLOAD === "send-loop") await call(page, "sendLoop", server.origin, 20_000);
    else if (WORKLOAD === "recv-1k") await call(page, "recv", 2000, 1000);
    else if (WORKLOAD === "recv-500k") await call(page, "recv", 40, 500_000);
    else if (WORKLOAD === "mutations") await call(page, "mutations", 2000);
    else throw new Error(`unknown workload ${WORKLOAD}`);
    await page.waitForTimeout(200); // the last flush timer
    const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
    report(profile);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

/** Self time per function (ms), the extension's functions listed, everything else summed by kind. */
function report(p: Profile): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + p.timeDeltas[i]! / 1000);
  const ext = new Map<string, number>();
  const other = new Map<string, number>();
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.url.startsWith("chrome-extension://")) {
      const key = `${f.url.replace(/^chrome-extension:\/\/[^/]+\//, "")}:${f.lineNumber + 1}:${f.columnNumber + 1} ${f.functionName || "(anonymous)"}`;
      ext.set(key, (ext.get(key) ?? 0) + ms);
    } else {
      const key = f.url ? "page script" : f.functionName || "(native)";
      other.set(key, (other.get(key) ?? 0) + ms);
    }
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  console.log(`${WORKLOAD}: extension scripts' self time ${total(ext).toFixed(1)} ms (${EXT})`);
  for (const [k, ms] of [...ext].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(2).padStart(8)}  ${k}`);
  console.log("everything else (self time, ms):");
  for (const [k, ms] of [...other].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${ms.toFixed(2).padStart(8)}  ${k}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
