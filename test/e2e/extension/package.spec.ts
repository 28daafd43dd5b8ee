/**
 * The Chrome Web Store zip, as `npm run package` writes it, unpacked into a temp folder and loaded into Chromium:
 * the service worker runs, the hook sees a real sync socket on a page, events reach the background, and the
 * real DevTools panel renders them. Proves the zip is complete and loadable, not just that dist/chrome is.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "../fixtures.ts";
// @ts-expect-error: plain .mjs scripts without type declarations
import { packageAll, packageVersion } from "../../../scripts/package.mjs";
// @ts-expect-error: plain .mjs scripts without type declarations
import { listFiles, unzipToDirectory } from "../../../scripts/zip.mjs";
import { syncPageHtml, syncServerPerTest } from "./support/sync-server.ts";
import type { SyncServer } from "./support/sync-server.ts";
import { count, openExtensionPage, startCollector, waitCollected } from "./support/collector.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
// Made in beforeAll, not here: Playwright also loads this file in its main process, only to list the tests.
const work = join(tmpdir(), `cai-package-chrome-${process.pid}`);
const unpacked = join(work, "unpacked");
let zipEntries: string[] = [];

test.describe.configure({ mode: "serial" });
test.use({ extensionDir: unpacked });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const paths = (packageAll as (o: { outDir: string }) => { chrome: string })({ outDir: join(work, "out") });
  expect(paths.chrome).toBe(join(work, "out", `convex-auth-inspector-chrome-${packageVersion()}.zip`));
  zipEntries = (unzipToDirectory as (zip: string, dir: string) => string[])(paths.chrome, unpacked);
});
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

let server: SyncServer;
syncServerPerTest(test, (s) => (server = s));

test("the Chrome zip holds exactly the built extension, byte for byte", () => {
  const dist = join(ROOT, "dist", "chrome");
  const files = (listFiles as (d: string) => string[])(dist);
  expect([...zipEntries].sort()).toEqual(files);
  for (const f of files) expect(readFileSync(join(unpacked, f)).equals(readFileSync(join(dist, f))), f).toBe(true);
});

test("the unpacked Chrome zip loads: worker up, hook live on a page, real panel renders", async ({ page, context, serviceWorker, extensionId, tabIdOf, openPanel }) => {
  expect(new URL(serviceWorker.url()).host).toBe(extensionId);
  const manifest = await serviceWorker.evaluate(() => chrome.runtime.getManifest());
  expect(manifest.version).toBe(packageVersion());
  expect(manifest.background).toEqual({ service_worker: "service-worker-loader.js", type: "module" });

  await page.goto(server.page("/packaged", syncPageHtml({ initial: 2 })));
  await page.waitForFunction(() => (window as any).__acks >= 2);
  const ext = await openExtensionPage(context, extensionId);
  await startCollector(ext, "zip", await tabIdOf(page));
  const c = await waitCollected(ext, "zip", (c) => count(c.events, "ws-recv") === 2, "the page's sync frames");
  expect(count(c.events, "ws-send")).toBe(2);
  expect(c.backlogs[0]?.hookSeen).toBe(true);

  const panel = await openPanel(page);
  const rows = await panel.waitFor<number>(() => document.querySelectorAll('[data-testid="timeline-row"]').length || null);
  expect(rows).toBeGreaterThan(0);
});
