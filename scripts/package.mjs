#!/usr/bin/env node
// `npm run package`: builds the extension and writes what the stores take, named with package.json's version:
//   dist/convex-auth-inspector-chrome-<v>.zip    (Chrome Web Store)
//   dist/convex-auth-inspector-firefox-<v>.zip   (AMO)
//   dist/convex-auth-inspector-source-<v>.zip    (AMO's source upload: `npm ci && npm run build-for-amo` in it
//                                                 rebuilds the Firefox zip byte for byte)
// Usage: node scripts/package.mjs [--out DIR]   (default dist/). Exit 1 with the reason otherwise.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { zipDirectory, zipFiles } from "./zip.mjs";

const ROOT = resolve(import.meta.dirname, "..");

/**
 * What the source archive holds: everything `npm ci && npm run build-for-amo` reads, plus the notes a reviewer
 * reads (README, LICENSE, SECURITY.md, docs/store-listing.md). No tests, no node_modules, no build output.
 */
const SOURCE_PATHS = [
  "src",
  "scripts",
  "public",
  "bin",
  "manifest.json",
  "vite.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "README.md",
  "LICENSE",
  "SECURITY.md",
  "docs/store-listing.md",
];

export function packageVersion(root = ROOT) {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
}

/** File names of the three artifacts for `version`. */
export function artifactNames(version) {
  return {
    chrome: `convex-auth-inspector-chrome-${version}.zip`,
    firefox: `convex-auth-inspector-firefox-${version}.zip`,
    source: `convex-auth-inspector-source-${version}.zip`,
  };
}

/** Runs scripts/build.mjs for `targets` in `root` (it verifies the manifests); throws if it fails. */
export function buildExtension(root, targets) {
  const r = spawnSync(process.execPath, [join(root, "scripts", "build.mjs"), ...targets], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`scripts/build.mjs ${targets.join(" ")} exited with ${r.status}`);
}

/** Zips dist/<target> of `root`, after checking its manifest carries package.json's version. */
export function zipTarget(root, target) {
  const dir = join(root, "dist", target);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const version = packageVersion(root);
  if (manifest.version !== version) {
    throw new Error(`dist/${target}/manifest.json has version ${manifest.version}, package.json ${version}`);
  }
  return zipDirectory(dir);
}

/** The npm version running this script (npm sets the user agent for `npm run`; otherwise ask npm). */
function npmVersion() {
  const fromAgent = /\bnpm\/(\S+)/.exec(process.env.npm_config_user_agent ?? "")?.[1];
  return fromAgent ?? spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim();
}

/** The SOURCE-BUILD note placed at the root of the source archive. */
export function sourceBuildNote(version) {
  const names = artifactNames(version);
  return `# Rebuilding Convex Auth Inspector ${version} for Firefox

This archive is the source of \`${names.firefox}\`. Rebuilding it gives that file byte for byte.

Packaged with Node ${process.version} and npm ${npmVersion()} on ${process.platform}/${process.arch}. Node >= 20.19
builds it; use these versions to compare bytes.

\`\`\`sh
npm ci                  # the exact dependency versions of package-lock.json, from the npm registry
npm run build-for-amo   # writes dist/${names.firefox}
\`\`\`

What \`build-for-amo\` does (\`scripts/build-for-amo.mjs\`): \`node scripts/build.mjs firefox\` bundles the
extension with vite and @crxjs/vite-plugin (\`vite.config.ts\`, TARGET=firefox; no minification of the panel and
background, so the output is readable), minifies only the two content scripts with esbuild, verifies the
manifest, and writes \`dist/firefox\`; then the folder is zipped with fflate in a fixed entry order and with fixed
timestamps (\`scripts/zip.mjs\`). No code is downloaded or generated at run time; the only inputs are this
archive and the npm packages in package-lock.json.
`;
}

/** Source archive: the tracked and untracked-but-not-ignored files under SOURCE_PATHS, plus SOURCE-BUILD.md. */
export function zipSource(root) {
  const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...SOURCE_PATHS], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`the source archive is made from a git checkout: git ls-files failed: ${r.stderr}`);
  const files = {};
  for (const f of r.stdout.split("\0").filter(Boolean)) {
    // Tracked files deleted in the working tree are not part of this build.
    if (existsSync(join(root, f))) files[f] = readFileSync(join(root, f));
  }
  files["SOURCE-BUILD.md"] = Buffer.from(sourceBuildNote(packageVersion(root)));
  return zipFiles(files);
}

/** Builds both targets and writes the three artifacts into `outDir`; returns their paths. */
export function packageAll({ root = ROOT, outDir = join(root, "dist") } = {}) {
  buildExtension(root, ["chrome", "firefox"]);
  const names = artifactNames(packageVersion(root));
  mkdirSync(outDir, { recursive: true });
  const paths = { chrome: join(outDir, names.chrome), firefox: join(outDir, names.firefox), source: join(outDir, names.source) };
  writeFileSync(paths.chrome, zipTarget(root, "chrome"));
  writeFileSync(paths.firefox, zipTarget(root, "firefox"));
  writeFileSync(paths.source, zipSource(root));
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const i = process.argv.indexOf("--out");
  try {
    const paths = packageAll(i > 0 ? { outDir: resolve(process.argv[i + 1] ?? "") } : {});
    for (const p of Object.values(paths)) console.log(`wrote ${p}`);
  } catch (e) {
    console.error(`package failed: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
