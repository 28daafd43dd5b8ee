/**
 * Benchmark: what the extension costs a page doing Convex sync traffic, as ratios measured in one run: the same
 * Debian Chromium, once with the built extension (dist/chrome: hook + relay + port to the background) and once
 * without any extension, the same server, runs interleaved. Not a test: it prints figures to stdout.
 *   npx tsx test/bench/extension.bench.ts [rounds]      (npm run bench builds dist/chrome first)
 * Workloads, timed inside the page with performance.now():
 *   recv  — the server bursts N frames of ~1 KB; time until the page's onmessage saw the last one
 *   send  — the page sends N frames of ~1 KB in a loop (the wrapped send's cost)
 *   ping  — N/10 sequential round trips (send, wait for the echo)
 *   other — N sends on a non-sync socket (should cost nothing)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext } from "@playwright/test";
import { startServer } from "../e2e/hook/support/server.ts";
import { CHROMIUM, CHROMIUM_FLAGS } from "../e2e/support/chromium.ts";

const EXT = resolve(import.meta.dirname, "..", "..", "dist", "chrome");

async function launch(withExtension: boolean): Promise<{ context: BrowserContext; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cai-bench-"));
  const args = withExtension ? [...CHROMIUM_FLAGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`] : CHROMIUM_FLAGS;
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args });
  return { context, dir };
}

const N = 2000;
const ROUNDS = Number(process.argv[2] ?? 5);

const PAGE = (port: number) => `<!doctype html><script>
const open = (path) => new Promise((r) => { const ws = new WebSocket("ws://127.0.0.1:${port}" + path); ws.onopen = () => r(ws); });
const frame = JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [{ type: "Add", queryId: 0, udfPath: "messages:list", args: ["x".repeat(900)] }] });
window.bench = async (n) => {
  const ws = await open("/api/1.48.0/sync");
  const other = await open("/other");
  const out = {};
  let t = performance.now();
  await new Promise((r) => { let c = 0; ws.onmessage = () => { if (++c === n) r(); }; ws.send("burst:" + n + ":1000"); });
  out.recv = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) ws.send(frame);
  out.send = performance.now() - t;
  await new Promise((r) => { let c = 0; ws.onmessage = () => { if (++c === n) r(); }; }); // drain the echoes
  const pings = n / 10;
  t = performance.now();
  for (let i = 0; i < pings; i++) await new Promise((r) => { ws.onmessage = r; ws.send("p" + i); });
  out.ping = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) other.send(frame);
  out.other = performance.now() - t;
  ws.close(); other.close();
  return out;
};
</script>`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const server = await startServer();
  const bare = await launch(false);
  const ext = await launch(true);
  try {
    server.page("/bench", PAGE(server.port));
    const samples: Record<"bare" | "hook", Record<string, number[]>> = { bare: {}, hook: {} };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ["bare", "hook"] as const) {
        const page = await (mode === "hook" ? ext : bare).context.newPage();
        await page.goto(`${server.origin}/bench?r=${round}`);
        const r = (await page.evaluate((n) => (window as unknown as { bench: (n: number) => Promise<Record<string, number>> }).bench(n), N)) as Record<string, number>;
        for (const [k, v] of Object.entries(r)) (samples[mode][k] ??= []).push(v);
        await page.close();
      }
    }
    // Best-of is the figure least disturbed by other load on the machine; medians are shown beside it.
    console.log(`extension benchmark (with dist/chrome vs no extension): ${N} frames of ~1 KB, ${ROUNDS} interleaved rounds (ms)`);
    console.log("workload   best without   best with   ratio   |   median without   median with   ratio");
    const f = (x: number, w: number) => x.toFixed(1).padStart(w);
    for (const k of Object.keys(samples.bare)) {
      const [a, b] = [Math.min(...samples.bare[k]!), Math.min(...samples.hook[k]!)];
      const [c, d] = [median(samples.bare[k]!), median(samples.hook[k]!)];
      console.log(`${k.padEnd(8)} ${f(a, 14)} ${f(b, 11)} ${(b / a).toFixed(2).padStart(7)}   | ${f(c, 16)} ${f(d, 13)} ${(d / c).toFixed(2).padStart(7)}`);
    }
  } finally {
    for (const b of [bare, ext]) {
      await b.context.close();
      rmSync(b.dir, { recursive: true, force: true });
    }
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
