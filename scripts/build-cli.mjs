// Bundles the CLI into dist/cli/convex-auth-inspector.mjs: one self-contained file, so `check` starts in Node's
// start-up time and the packed package needs no dependencies. The libraries bundled into it are MIT-licensed,
// which asks for their notices in every copy: they go beside it in THIRD-PARTY-LICENSES.txt (shipped by `files`).
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const result = await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/convex-auth-inspector.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __cai_cr } from 'node:module'; const require = __cai_cr(import.meta.url);" },
  // Paths in the bundle's comments stay `node_modules/…` wherever node_modules really lives (a symlink here).
  preserveSymlinks: true,
  metafile: true,
  write: false,
  logLevel: "warning",
});

/** Write-then-rename: a CLI started while this runs (tests spawn it in parallel) reads the old file or the new one, never half of one. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.${process.pid}.tmp`, contents);
  renameSync(`${path}.${process.pid}.tmp`, path);
}
for (const file of result.outputFiles) writeAtomically(file.path, file.contents);

/** Each bundled package's folder under node_modules, from the inputs esbuild read. */
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = join("node_modules", name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[sc]e|copying)(\.md|\.txt)?$/i.test(f));
  if (!file) throw new Error(`build-cli: ${name} is bundled but has no LICENSE file to ship with it`);
  return `${meta.name}@${meta.version} (${meta.license})\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`;
});
writeAtomically(
  "dist/cli/THIRD-PARTY-LICENSES.txt",
  `convex-auth-inspector's CLI bundle (dist/cli/convex-auth-inspector.mjs) includes these packages.\n\n${notices.join(`\n${"-".repeat(80)}\n\n`)}`,
);
