/**
 * What a `chrome.runtime` port message costs the sending content script (the relay shares the page's thread),
 * with Chrome's default JSON serialization and with the manifest opt-in `message_serialization:
 * "structured_clone"` (Chrome 148+), in one run: two throw-away extensions identical but for that key, each
 * posting the same 20 batches of recv-1k-sized records (100 Transitions of ~900 characters each), timed around
 * the synchronous postMessage calls, rounds interleaved. Not a test; it decided against the opt-in (issue 9):
 *   npx tsx test/bench/page/port-serialization.ts [rounds=4]
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "@playwright/test";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../e2e/support/chromium.ts";

const ROUNDS = Number(process.argv[2] ?? 4);
const MODES = ["json", "structured_clone"] as const;

/** The content script: builds the batches like the hook's records, then times posting them on request. */
const CONTENT = `(() => {
  const transition = (i) => JSON.stringify({ type: "Transition",
    startVersion: { querySet: 1, identity: 1, ts: "AQAAAAAAAAA=" }, endVersion: { querySet: 1, identity: 1, ts: "AgAAAAAAAAA=" },
    modifications: [{ type: "QueryUpdated", queryId: 0, logLines: [], journal: null,
      value: Array.from({ length: 10 }, (_, j) => ({ _id: "k" + i + "x" + j, name: 'item "q" ' + j, n: j * 1.5, tags: ["a", "b"] })) }],
    clientClockSkew: -3, serverTs: 1755800000000000000 });
  const batches = [];
  let chars = 0;
  for (let b = 0; b < 20; b++) {
    const rec = [];
    for (let k = 0; k < 100; k++) { const s = transition(b * 100 + k); chars += s.length; rec.push(8 + 16, 1000 + k, s); }
    batches.push({ type: "batch", batch: { source: "bench", doc: "d", seq: b, n: 100, rec }, first: b * 100 });
  }
  const port = chrome.runtime.connect({ name: "bench" });
  window.addEventListener("message", (e) => {
    if (e.data !== "port-bench") return;
    const t0 = performance.now();
    for (const m of batches) port.postMessage(m);
    document.title = "ms:" + (performance.now() - t0) + ":" + chars;
  });
})();`;

function extension(mode: (typeof MODES)[number]): string {
  const dir = mkdtempSync(join(tmpdir(), `cai-port-${mode}-`));
  const manifest = {
    manifest_version: 3,
    name: `port bench ${mode}`,
    version: "1",
    background: { service_worker: "bg.js" },
    content_scripts: [{ js: ["content.js"], matches: ["http://*/*"], run_at: "document_start" }],
    ...(mode === "structured_clone" ? { message_serialization: mode } : {}),
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  writeFileSync(join(dir, "bg.js"), "chrome.runtime.onConnect.addListener((p) => p.onMessage.addListener(() => {}));");
  writeFileSync(join(dir, "content.js"), CONTENT);
  return dir;
}

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;

async function main(): Promise<void> {
  const server = createServer((_q, s) => s.end("<!doctype html><title>bench</title>"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const runs: { mode: (typeof MODES)[number]; ext: string; profile: string; context: BrowserContext }[] = [];
  try {
    for (const mode of MODES) {
      const ext = extension(mode);
      const profile = mkdtempSync(join(tmpdir(), "cai-port-profile-"));
      mkdirSync(profile, { recursive: true });
      const args = [...CHROMIUM_FLAGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`];
      runs.push({ mode, ext, profile, context: await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args }) });
    }
    const ms: Record<string, number[]> = { json: [], structured_clone: [] };
    let chars = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const run of r % 2 ? [...runs].reverse() : runs) {
        const page = await run.context.newPage();
        await page.goto(url);
        await page.waitForTimeout(300); // the port connects
        for (let k = 0; k < 3; k++) {
          await page.evaluate(() => {
            document.title = "";
            window.postMessage("port-bench", "*");
          });
          await page.waitForFunction(() => document.title.startsWith("ms:"));
          const [, t, c] = (await page.title()).split(":");
          ms[run.mode]!.push(Number(t));
          chars = Number(c);
        }
        await page.close();
      }
    }
    console.log(`port.postMessage of 20 batches (2,000 records, ${chars} characters of frame text), ${ROUNDS} interleaved rounds × 3:`);
    for (const mode of MODES) console.log(`  ${mode.padEnd(16)} median ${median(ms[mode]!).toFixed(1)} ms, min ${Math.min(...ms[mode]!).toFixed(1)} ms`);
  } finally {
    for (const run of runs) {
      await run.context.close();
      rmSync(run.ext, { recursive: true, force: true });
      rmSync(run.profile, { recursive: true, force: true });
    }
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
