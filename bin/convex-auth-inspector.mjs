#!/usr/bin/env -S node --
// `--`: Node 20 reads a script argument `--env-file X` as its own option (nodejs/node#54232) unless it follows `--`;
// without it `check --env-file /dev/zero` hangs in Node before this file runs.
// The CLI is bundled into one file by `npm run build` (esbuild) so it starts fast.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(new URL("../dist/cli/convex-auth-inspector.mjs", import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write("convex-auth-inspector: not built yet; run `npm run build` (or `npm ci`, which builds it)\n");
  process.exit(2);
}
await import(bundle);
