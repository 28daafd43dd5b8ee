// Bundles the CLI into dist/cli/convex-auth-inspector.mjs: one file, so `check` starts in Node's start-up time.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/convex-auth-inspector.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __cai_cr } from 'node:module'; const require = __cai_cr(import.meta.url);" },
  logLevel: "warning",
});
