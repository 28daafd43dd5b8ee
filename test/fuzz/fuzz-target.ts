/** Runs one target: generated inputs then its 1 MB inputs, counting unexpected exceptions and the slowest call. */
import fc from "fast-check";
import { describeInput, type Target } from "./targets";

export interface TargetStats {
  name: string;
  runs: number;
  /** Unexpected exceptions (must be 0), the first few described. */
  exceptions: number;
  firstExceptions: string[];
  slowestMs: number;
  slowestInput: string;
  /** The slowest of the 1 MB inputs alone. */
  slowestLargeMs: number;
  slowestLargeInput: string;
}

export async function fuzzTarget<T>(target: Target<T>, opts: { numRuns: number; seed: number }): Promise<TargetStats> {
  const stats: TargetStats = { name: target.name, runs: 0, exceptions: 0, firstExceptions: [], slowestMs: 0, slowestInput: "", slowestLargeMs: 0, slowestLargeInput: "" };
  const once = async (input: T, large: boolean) => {
    const t0 = performance.now();
    try {
      await target.run(input);
    } catch (e) {
      if (!target.expected?.(e)) {
        stats.exceptions++;
        if (stats.firstExceptions.length < 3) stats.firstExceptions.push(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} on ${describeInput(input)}`);
      }
    }
    const ms = performance.now() - t0;
    stats.runs++;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestInput = describeInput(input);
    }
    if (large && ms > stats.slowestLargeMs) {
      stats.slowestLargeMs = ms;
      stats.slowestLargeInput = describeInput(input);
    }
  };
  // fc.check drives generation (seeded, reproducible); the property never fails: outcomes are counted instead.
  await fc.check(
    fc.asyncProperty(target.arbitrary, async (input) => {
      await once(input, false);
    }),
    { numRuns: opts.numRuns, seed: opts.seed, endOnFailure: true },
  );
  for (const input of target.large()) await once(input, true);
  return stats;
}
