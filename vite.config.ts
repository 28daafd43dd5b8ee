/**
 * One source manifest (manifest.json, Chrome shape) → dist/chrome, or with TARGET=firefox → dist/firefox.
 * Content scripts are `*.iife.ts`, so crxjs emits self-contained IIFEs (no async loader: the hook must run
 * before any page script). The panel HTML is only referenced at runtime by devtools.ts, so it is an input.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";
import { crx, type ManifestV3Export } from "@crxjs/vite-plugin";
import preact from "@preact/preset-vite";
import { preactWithoutInnerHtml } from "./scripts/preact-without-inner-html.ts";

type Target = "chrome" | "firefox";
const target: Target = process.env.TARGET === "firefox" ? "firefox" : "chrome";
const root = import.meta.dirname;

/**
 * The version always comes from package.json (the store zips are named with it). Firefox: event-page
 * `background.scripts` (service_worker is disabled there) plus the gecko settings.
 */
function manifestFor(t: Target): Record<string, unknown> {
  const m = JSON.parse(readFileSync(resolve(root, "manifest.json"), "utf8")) as Record<string, unknown>;
  m.version = (JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { version: string }).version;
  if (t === "chrome") return m;
  const bg = m.background as { service_worker: string; type?: string };
  delete m.minimum_chrome_version;
  return {
    ...m,
    background: { scripts: [bg.service_worker], type: "module" },
    browser_specific_settings: {
      gecko: {
        id: "convex-auth-inspector@convex-auth-inspector.dev",
        // Firefox ESR 140 is the oldest release with every key used (data_collection_permissions came last);
        // scripts/build.mjs checks it against the keys.
        strict_min_version: "140.0",
        data_collection_permissions: { required: ["none"] },
      },
      // Firefox for Android read data_collection_permissions only from 142. The panel needs desktop DevTools,
      // so Android is not a target; the floor keeps AMO's linter from warning about it.
      gecko_android: { strict_min_version: "142.0" },
    },
  };
}

export default defineConfig({
  plugins: [preactWithoutInnerHtml(), preact(), crx({ manifest: manifestFor(target) as unknown as ManifestV3Export, browser: target })],
  build: {
    outDir: resolve(root, "dist", target),
    emptyOutDir: true,
    // Readable stack traces in bug reports; the bundle is small.
    minify: false,
    sourcemap: false,
    rollupOptions: { input: { panel: resolve(root, "src/panel/panel.html") } },
  },
  // Module paths (kept in the unminified bundle's region comments) stay `node_modules/...` when node_modules is
  // a symlink, so a rebuild from the AMO source archive in another directory is byte-identical.
  resolve: { preserveSymlinks: true },
  // Quiet, deterministic builds (no dev server is used for the extension).
  clearScreen: false,
});
