#!/usr/bin/env node
// The CLI is bundled into one file by `npm run build` (esbuild) so it starts fast.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(new URL("../dist/cli/convex-auth-inspector.mjs", import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write("convex-auth-inspector: not built yet; run `npm run build` (or `npm ci`, which builds it)\n");
  process.exit(2);
}
await import(bundle);
