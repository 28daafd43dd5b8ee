/**
 * The AMO packages, as `npm run package` writes them: the Firefox zip unpacked into a temp folder loads in
 * Firefox ESR (the hook sees a real sync socket, events reach the background event page and a panel port), and
 * the source archive, unpacked elsewhere, rebuilds that zip byte for byte with `npm run build-for-amo` — what an
 * AMO reviewer does (the repository's node_modules is linked in place of `npm ci`, to stay offline).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs scripts without type declarations
import { artifactNames, packageAll, packageVersion } from "../../scripts/package.mjs";
// @ts-expect-error: plain .mjs scripts without type declarations
import { listFiles, unzipToDirectory } from "../../scripts/zip.mjs";
import { evaluator, launchFirefoxWithAddon, waitInExtensionPage } from "./firefox.ts";
import { startSyncServer, syncPageHtml } from "../e2e/extension/support/sync-server.ts";
import { count, startCollector, waitCollected } from "../e2e/extension/support/collector.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const unzip = unzipToDirectory as (zip: string, dir: string) => string[];
const version = packageVersion() as string;

describe("the packages npm run package writes", () => {
  const work = mkdtempSync(join(tmpdir(), "cai-package-firefox-"));
  let paths: { firefox: string; source: string };

  beforeAll(() => {
    paths = packageAll({ outDir: join(work, "out") });
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("the Firefox zip holds exactly dist/firefox, and its manifest has the gecko settings and the version", () => {
    expect(paths.firefox).toBe(join(work, "out", artifactNames(version).firefox));
    const unpacked = join(work, "firefox-check");
    const entries = unzip(paths.firefox, unpacked);
    const dist = join(ROOT, "dist", "firefox");
    const files = listFiles(dist) as string[];
    expect([...entries].sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(unpacked, f)).equals(readFileSync(join(dist, f))), f).toBe(true);
    const m = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
    expect(m.version).toBe(version);
    expect(m.background).toEqual({ scripts: ["service-worker-loader.js"], type: "module" });
    expect(m.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ["none"] });
  });

  it("the unpacked Firefox zip installs in Firefox ESR and is live: hook → relay → background → panel port", async () => {
    const unpacked = join(work, "firefox-load");
    unzip(paths.firefox, unpacked);
    const server = await startSyncServer();
    const ff = await launchFirefoxWithAddon(unpacked);
    try {
      expect(ff.addonId).toBe("convex-auth-inspector@convex-auth-inspector.dev");
      const { addons } = (await ff.rdp.request("root", "listAddons")) as unknown as { addons: { id: string; backgroundScriptStatus: string }[] };
      expect(addons.find((a) => a.id === ff.addonId)?.backgroundScriptStatus).toBe("RUNNING");
      const url = server.page("/packaged", syncPageHtml({ initial: 2 }));
      const page = await ff.browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => (window as any).__acks >= 2);
      const extPage = await ff.openExtensionPage("src/extension/devtools.html");
      await waitInExtensionPage(extPage, `"__caiTest" in globalThis`);
      const ext = evaluator(extPage);
      await startCollector(ext, "zip", await ff.tabIdOf(url));
      const c = await waitCollected(ext, "zip", (c) => count(c.events, "ws-recv") === 2, "the page's sync frames in Firefox");
      expect(count(c.events, "ws-send")).toBe(2);
      expect(c.backlogs[0]?.hookSeen).toBe(true);
    } finally {
      await ff.close();
      await server.close();
    }
  });

  it("build-for-amo in the unpacked source archive rebuilds the Firefox zip byte for byte", () => {
    const src = join(work, "source");
    const entries = unzip(paths.source, src);
    expect(entries).toContain("SOURCE-BUILD.md");
    expect(entries.filter((e) => /^(node_modules|dist|test-reports|test)\//.test(e))).toEqual([]);
    expect(readFileSync(join(src, "SOURCE-BUILD.md"), "utf8")).toContain("npm run build-for-amo");
    symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"), "dir");
    const r = spawnSync("npm", ["run", "build-for-amo", "--silent"], { cwd: src, encoding: "utf8", timeout: 170_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const rebuilt = readFileSync(join(src, "dist", artifactNames(version).firefox));
    expect(rebuilt.equals(readFileSync(paths.firefox))).toBe(true);
  }, 180_000);
});
