#!/usr/bin/env node
// `npm run build-for-amo`, for AMO reviewers, in the unpacked source archive after `npm ci`: builds dist/firefox
// and zips it exactly as `npm run package` does, into dist/convex-auth-inspector-firefox-<v>.zip.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { artifactNames, buildExtension, packageVersion, zipTarget } from "./package.mjs";

const root = resolve(import.meta.dirname, "..");
try {
  buildExtension(root, ["firefox"]);
  const out = join(root, "dist", artifactNames(packageVersion(root)).firefox);
  writeFileSync(out, zipTarget(root, "firefox"));
  console.log(`wrote ${out}`);
} catch (e) {
  console.error(`build-for-amo failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
