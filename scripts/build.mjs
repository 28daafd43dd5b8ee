#!/usr/bin/env node
// Builds dist/chrome and dist/firefox (vite + crxjs) and verifies what matters in the output manifests:
// the hook stays a MAIN-world document_start IIFE, no async content-script loader and no
// web_accessible_resources crept in, the Firefox manifest has background.scripts and the gecko settings with a
// strict_min_version that covers every key used, and no bundle assigns innerHTML (AMO's linter flags it; the
// panel renders page data as text only, see scripts/preact-without-inner-html.ts).
// The content scripts are then minified (they are parsed and evaluated on every page, Convex or not).
// Usage: node scripts/build.mjs [chrome|firefox]...   (default: both). Exit 1 with the reasons otherwise.
import { spawnSync } from "node:child_process";
import { transformSync } from "esbuild";
import { deflateSync } from "node:zlib";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

const HOOK = "src/hook/hook.iife.ts";
const RELAY = "src/extension/relay.iife.ts";
const PANEL = "src/panel/panel.html";
const ICON_SIZES = [16, 32, 48, 128];

function fail(problems) {
  console.error(`build failed:\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}

// Icons are generated once into public/icons (a plain ring + key bar), so no binary is hand-edited.
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function iconPng(s) {
  const rows = [];
  const c = (s - 1) / 2;
  for (let y = 0; y < s; y++) {
    const row = [0];
    for (let x = 0; x < s; x++) {
      const d = Math.hypot(x - c, y - c) / (s / 2);
      let px = [0, 0, 0, 0];
      if (d <= 0.95 && d >= 0.55) px = [243, 176, 28, 255];
      else if (d < 0.55) px = [255, 255, 255, 255];
      if (Math.abs(y - c) <= Math.max(1, s * 0.08) && x >= c && x <= s * 0.95) px = [141, 38, 118, 255];
      row.push(...px);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(s, 0);
  ihdr.writeUInt32BE(s, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function main() {
  const targets = process.argv.slice(2).length ? process.argv.slice(2) : ["chrome", "firefox"];
  for (const t of targets) if (t !== "chrome" && t !== "firefox") fail([`unknown target "${t}" (chrome or firefox)`]);

  const iconDir = join(root, "public", "icons");
  mkdirSync(iconDir, { recursive: true });
  for (const s of ICON_SIZES) {
    const f = join(iconDir, `icon-${s}.png`);
    if (!existsSync(f)) writeFileSync(f, iconPng(s));
  }

  // --- inputs must exist (other parts of the project write them) ---
  const missing = [HOOK, RELAY, PANEL, "src/panel/main.tsx", "src/extension/background.ts", "src/extension/devtools.html"]
    .filter((f) => !existsSync(join(root, f)))
    .map((f) => `${f} does not exist yet`);
  if (missing.length) fail(missing);
  const htmlSources = sourcesUsingDangerousHtml(join(root, "src"));
  if (htmlSources.length) {
    fail(htmlSources.map((f) => `${f} uses dangerouslySetInnerHTML (not shipped: render page data as text)`));
  }

  // --- build each target in its own process (the config reads TARGET once) ---
  const viteBin = join(root, "node_modules", "vite", "bin", "vite.js");
  for (const target of targets) {
    const r = spawnSync(process.execPath, [viteBin, "build", "--logLevel", "warn"], {
      cwd: root,
      // Always the production bundle: vite honours an ambient NODE_ENV (vitest sets "test", shells may set
      // "development"), which would change the output and break the AMO rebuild's byte identity.
      env: { ...process.env, TARGET: target, NODE_ENV: "production" },
      encoding: "utf8",
    });
    process.stdout.write(r.stdout ?? "");
    process.stderr.write(r.stderr ?? "");
    if (r.status !== 0) fail([`vite build for ${target} exited with ${r.status}`]);
    minifyContentScripts(join(root, "dist", target));
    const problems = verifyDist(join(root, "dist", target), target, `${r.stdout}\n${r.stderr}`);
    if (problems.length) fail(problems.map((p) => `${target}: ${p}`));
    console.log(`built dist/${target} (manifest verified)`);
  }
}

/**
 * Minifies the manifest's content scripts in place. Only these: they run at document_start on every page the
 * user opens (issue 9: parse + evaluate time on pages without Convex), while the panel and background keep
 * readable stack traces for bug reports. Identifiers are renamed too; the hook's wrappers are Proxies over the
 * native functions, so no page-visible `name` depends on a source identifier.
 */
function minifyContentScripts(dist) {
  const m = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8"));
  for (const c of m.content_scripts ?? []) {
    for (const f of c.js ?? []) {
      const file = join(dist, f);
      const { code } = transformSync(readFileSync(file, "utf8"), { minify: true, legalComments: "none", charset: "utf8" });
      writeFileSync(file, code);
    }
  }
}

/** Source files (relative to `srcDir`) that use Preact's dangerouslySetInnerHTML, whose code path the build drops. */
export function sourcesUsingDangerousHtml(srcDir) {
  return readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(t|j)sx?$/.test(f))
    .filter((f) => readFileSync(join(srcDir, f), "utf8").includes("dangerouslySetInnerHTML"))
    .sort();
}

/** `x.innerHTML = …`, `+=`, and the same for outerHTML (not `==`): what AMO's linter reports as UNSAFE_VAR_ASSIGNMENT. */
const HTML_ASSIGNMENT = /\.(?:inner|outer)HTML\s*\+?=(?!=)/;

/**
 * Firefox versions (desktop, Android) that introduced the manifest keys the add-on uses, from MDN
 * browser-compat-data (the data addons-linter checks strict_min_version against).
 */
const FIREFOX_KEY_SINCE = [
  ["background.type", (m) => m.background?.type !== undefined, 112, 112],
  ["content_scripts.world", (m) => m.content_scripts?.some((c) => c.world !== undefined), 128, 128],
  ["content_scripts.match_origin_as_fallback", (m) => m.content_scripts?.some((c) => c.match_origin_as_fallback !== undefined), 128, 128],
  ["optional_host_permissions", (m) => m.optional_host_permissions !== undefined, 128, 128],
  ["browser_specific_settings.gecko.data_collection_permissions", (m) => m.browser_specific_settings?.gecko?.data_collection_permissions !== undefined, 140, 142],
];

/**
 * The lowest Firefox major versions (desktop and Android) that support every key `manifest` uses, each with the
 * key that decides it.
 */
export function firefoxVersionsNeeded(manifest) {
  const needed = { desktop: { version: 0, key: "" }, android: { version: 0, key: "" } };
  for (const [key, uses, desktop, android] of FIREFOX_KEY_SINCE) {
    if (!uses(manifest)) continue;
    if (desktop > needed.desktop.version) needed.desktop = { version: desktop, key };
    if (android > needed.android.version) needed.android = { version: android, key };
  }
  return needed;
}

/**
 * Returns the problems found in a built extension directory (`dist` for `target`), given the build's log.
 * Exported for test/unit/extension/build-verify.test.ts.
 */
export function verifyDist(dist, target, log = "") {
  const problems = [];
  const m = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8"));
  const has = (f) => typeof f === "string" && existsSync(join(dist, f));
  if (/async loader/i.test(log)) problems.push("crxjs warned that a document_start content script uses the async loader");

  const cs = Array.isArray(m.content_scripts) ? m.content_scripts : [];
  const hook = cs.find((c) => c.js?.some((f) => f.includes("hook.iife")));
  const relay = cs.find((c) => c.js?.some((f) => f.includes("relay.iife")));
  if (!hook) problems.push("no content script for the hook (hook.iife.js)");
  if (!relay) problems.push("no content script for the relay (relay.iife.js)");
  if (hook && hook.world !== "MAIN") problems.push(`the hook's world is ${hook.world ?? "ISOLATED"}, not MAIN`);
  if (relay && relay.world && relay.world !== "ISOLATED") problems.push(`the relay's world is ${relay.world}`);
  for (const [name, c] of [["hook", hook], ["relay", relay]]) {
    if (!c) continue;
    if (c.run_at !== "document_start") problems.push(`${name} runs at ${c.run_at}, not document_start`);
    if (c.all_frames !== true) problems.push(`${name} is not all_frames`);
    if (c.js.length !== 1) problems.push(`${name} has ${c.js.length} files (a loader was added?)`);
    for (const f of c.js) {
      if (!/\.iife\.js$/.test(f) || /loader/i.test(f)) problems.push(`${name} file ${f} is not a standalone IIFE`);
      if (!has(f)) problems.push(`${name} file ${f} is missing from dist`);
      else {
        const code = readFileSync(join(dist, f), "utf8");
        if (/\bimport\s*\(/.test(code) || /^\s*import[\s{*]/m.test(code) || /^\s*export\s/m.test(code)) {
          problems.push(`${name} file ${f} still imports or exports modules (not self-contained)`);
        }
      }
    }
  }
  for (const c of cs) for (const f of c.js ?? []) if (c !== hook && c !== relay) problems.push(`unexpected content script ${f}`);
  if (m.web_accessible_resources?.length) {
    problems.push(`web_accessible_resources were added (${JSON.stringify(m.web_accessible_resources)}): a loader?`);
  }
  const perms = m.permissions ?? [];
  for (const p of perms) if (p !== "storage") problems.push(`unexpected permission ${p}`);
  if (m.host_permissions?.length) problems.push(`host_permissions must stay optional: ${m.host_permissions}`);
  if (!has(m.devtools_page)) problems.push(`devtools_page ${m.devtools_page} is missing`);
  if (!has(PANEL.replace(/\.html$/, ".html"))) problems.push(`${PANEL} is missing from dist`);
  for (const s of ICON_SIZES) if (!has(`icons/icon-${s}.png`)) problems.push(`icons/icon-${s}.png is missing`);
  for (const f of readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).sort()) {
    if (HTML_ASSIGNMENT.test(readFileSync(join(dist, f), "utf8"))) problems.push(`${f} assigns innerHTML/outerHTML`);
  }

  if (target === "chrome") {
    if (!has(m.background?.service_worker)) problems.push("background.service_worker is missing");
    if (m.background?.type !== "module") problems.push("background is not a module worker");
    if (m.browser_specific_settings) problems.push("browser_specific_settings leaked into the Chrome manifest");
  } else {
    const scripts = m.background?.scripts ?? [];
    if (scripts.length === 0 || !scripts.every(has)) problems.push("background.scripts missing (Firefox needs them)");
    if (m.background?.service_worker) problems.push("background.service_worker present in the Firefox manifest");
    const g = m.browser_specific_settings?.gecko;
    if (g?.id !== "convex-auth-inspector@convex-auth-inspector.dev") problems.push("gecko id missing or wrong");
    // gecko_android's floor defaults to gecko's (as in Firefox and in AMO's linter).
    const needed = firefoxVersionsNeeded(m);
    const floors = {
      desktop: ["gecko", g?.strict_min_version],
      android: ["gecko_android", m.browser_specific_settings?.gecko_android?.strict_min_version ?? g?.strict_min_version],
    };
    for (const [platform, [where, min]] of Object.entries(floors)) {
      if (!(Number.parseInt(String(min ?? "0"), 10) >= needed[platform].version)) {
        problems.push(`${where} strict_min_version ${min} is below ${needed[platform].version}, which ${needed[platform].key} needs on ${platform}`);
      }
    }
    if (JSON.stringify(g?.data_collection_permissions) !== JSON.stringify({ required: ["none"] })) {
      problems.push("gecko data_collection_permissions must be { required: ['none'] }");
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
