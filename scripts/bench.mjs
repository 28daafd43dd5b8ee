// `npm run bench`: every benchmark in test/bench, one after another (they compare ratios within one run).
// Figures go to stdout; BENCHMARKS.md records them with this command.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

// The extension benchmark runs the built dist/chrome.
if (spawnSync("node", ["scripts/build.mjs", "chrome"], { stdio: "inherit" }).status !== 0) process.exit(1);

const files = readdirSync("test/bench").filter((f) => f.endsWith(".bench.ts")).sort();
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n=== ${f}\n`);
  const r = spawnSync("npx", ["tsx", `test/bench/${f}`, ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
