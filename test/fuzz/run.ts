/**
 * `npm run fuzz`: every target with FUZZ_RUNS generated inputs (default 100 000) plus its 1 MB inputs.
 * Prints per target: inputs run, unexpected exceptions, the slowest call and what its input was; exit 1 on
 * any exception or any call over 100 ms.
 */
import { makeTargets } from "./targets";
import { fuzzTarget } from "./fuzz-target";

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const only = process.argv.slice(2);
const LIMIT_MS = 100;

const targets = (await makeTargets()).filter((t) => only.length === 0 || only.some((o) => t.name.includes(o)));
process.stdout.write(`fuzz: seed ${seed}, ${runs} generated inputs per target\n`);
let bad = 0;
for (const target of targets) {
  const started = performance.now();
  const s = await fuzzTarget(target, { numRuns: runs, seed });
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  const over = s.slowestMs > LIMIT_MS;
  if (s.exceptions > 0 || over) bad++;
  process.stdout.write(
    `\n${s.name}: ${s.runs} inputs in ${secs} s, ${s.exceptions} exceptions${over ? `  OVER ${LIMIT_MS} ms` : ""}\n` +
      `  slowest ${s.slowestMs.toFixed(1)} ms: ${s.slowestInput}\n` +
      `  slowest 1 MB input ${s.slowestLargeMs.toFixed(1)} ms: ${s.slowestLargeInput}\n` +
      s.firstExceptions.map((e) => `  exception: ${e}\n`).join(""),
  );
}
process.exitCode = bad ? 1 : 0;
