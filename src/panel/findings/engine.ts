/**
 * Session findings for the live log, computed away from the panel's render thread. A pass over every
 * connection's steps costs 40–100 ms once a connection holds 50,000 steps, so it cannot run on the thread that
 * must never block for 50 ms. The engine keeps its own SessionBuilder fed the same events in the same order (the
 * reduction is deterministic), so its findings are exactly `reduceSession`'s; it recomputes them at most every
 * FINDINGS_EVERY_MS while events keep coming, and always after the last batch.
 */
import type { Finding } from "../../core/rules/types";
import { SessionBuilder } from "../../core/session/builder";
import type { CapturedEvent } from "../../core/session/types";

/** Events for one generation of the log; a new generation (clear, navigation without preserve log) starts over. */
export interface FindingsInput {
  gen: number;
  events: CapturedEvent[];
}

/** The findings over the first `applied` events of generation `gen`. */
export interface FindingsReport {
  gen: number;
  applied: number;
  findings: Finding[];
}

/** At most this often while events keep coming (ms). */
export const FINDINGS_EVERY_MS = 250;

export class FindingsEngine {
  private builder = new SessionBuilder();
  private gen = -1;
  private applied = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRun = -Infinity;

  constructor(private readonly report: (r: FindingsReport) => void) {}

  add(input: FindingsInput): void {
    if (input.gen !== this.gen) {
      this.gen = input.gen;
      this.builder = new SessionBuilder();
      this.applied = 0;
    }
    this.builder.add(input.events);
    this.applied += input.events.length;
    // Messages queued behind this one are applied before the pass (timers run after pending messages).
    if (this.timer === null) this.timer = setTimeout(() => this.run(), Math.max(0, this.lastRun + FINDINGS_EVERY_MS - Date.now()));
  }

  private run(): void {
    this.timer = null;
    this.builder.refreshFindings();
    this.lastRun = Date.now();
    this.report({ gen: this.gen, applied: this.applied, findings: this.builder.snapshot().findings });
  }
}
