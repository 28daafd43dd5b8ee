#!/usr/bin/env -S node --
// `--`: Node 20 reads a script argument `--env-file X` as its own option (nodejs/node#54232) unless it follows `--`;
// without it `check --env-file /dev/zero` hangs in Node before this file runs.
// The CLI is bundled into one self-contained file (scripts/build-cli.mjs: `npm run build`, and `npm pack`'s
// prepack) so it starts fast and the packed package needs no dependencies.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(new URL("../dist/cli/convex-auth-inspector.mjs", import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write("convex-auth-inspector: not built yet; run `npm run build` (or `node scripts/build-cli.mjs`)\n");
  process.exit(2);
}
await import(bundle);
