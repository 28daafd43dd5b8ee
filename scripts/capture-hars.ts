/**
 * Writes the Chrome-exported HARs of the harness scenarios (test/e2e/support/chrome-har.ts) to a folder, to look
 * at or to open in Chrome's Network panel. The test makes its own copies when it runs; nothing here is committed.
 *   npx tsx scripts/capture-hars.ts --out DIR [--only NAME]...   (NAME: a scenario, or no-convex)
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { captureHars } from "../test/e2e/support/chrome-har.ts";

const { values } = parseArgs({ options: { only: { type: "string", multiple: true }, out: { type: "string" } } });
if (!values.out) {
  process.stderr.write("usage: npx tsx scripts/capture-hars.ts --out DIR [--only NAME]...\n");
  process.exit(2);
}
const out = resolve(values.out);
for (const name of await captureHars(out, values.only)) process.stdout.write(`capture-hars: ${resolve(out, name)}\n`);
