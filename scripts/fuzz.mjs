// `npm run fuzz [target-name-part…]`: 100 000 fast-check inputs per target (FUZZ_RUNS, FUZZ_SEED to change),
// plus each target's 1 MB adversarial inputs. See test/fuzz/run.ts; figures in BENCHMARKS.md.
import { spawnSync } from "node:child_process";

const r = spawnSync("npx", ["tsx", "test/fuzz/run.ts", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
