/**
 * The session findings kept up to date batch by batch (SessionFindingsTracker, as the panel's SessionBuilder
 * uses it) equal the findings of one pass over the whole session — same IDs, order, messages, evidence — for
 * random sessions and the scenario captures, fed in any split.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionFindings, SessionFindingsTracker } from "../../../src/core/rules/session/index";
import { SessionBuilder } from "../../../src/core/session/builder";
import { emptySession, reduceSession } from "../../../src/core/session/reduce";
import type { CapturedEvent, Session } from "../../../src/core/session/types";
import { mixedCapture } from "../session/fixtures";
import { capture, op, tokenPool } from "./session-scenarios";

let tokens: string[] = [];
beforeAll(async () => {
  tokens = await tokenPool();
});

/** Cut points within `n` events, sorted, from arbitrary numbers. */
const cuts = (n: number, raw: number[]) => [...new Set(raw.map((x) => x % (n + 1)))].sort((a, b) => a - b).concat(n);

/** Feeds the events to a SessionBuilder in the given split, refreshing after each part; checks each part. */
function checkSplit(events: readonly CapturedEvent[], at: number[]): void {
  const b = new SessionBuilder();
  let from = 0;
  for (const to of at) {
    b.add(events.slice(from, to));
    b.refreshFindings();
    from = to;
    expect(b.snapshot().findings).toEqual(reduceSession(emptySession(), events.slice(0, to)).findings);
  }
}

const sessions = fc.array(op, { minLength: 20, maxLength: 120 });
const splits = fc.array(fc.nat(), { maxLength: 12 });
const runs = { numRuns: 200, seed: Number(process.env.CAI_PROPERTY_SEED ?? 20261202) };

describe("session findings, incrementally", () => {
  it("random sessions: a SessionBuilder refreshed after every part of any split gives the whole pass's findings", () => {
    let found = 0;
    fc.assert(
      fc.property(sessions, splits, (ops, raw) => {
        const events = capture(ops, tokens);
        found += reduceSession(emptySession(), events).findings.length;
        checkSplit(events, cuts(events.length, raw));
      }),
      runs,
    );
    // The generator reaches the rules (not a test that passes on empty lists).
    expect(found).toBeGreaterThan(1000);
  });

  it("random sessions reach every session rule", () => {
    const ids = new Set<string>();
    fc.assert(
      fc.property(sessions, (ops) => {
        for (const f of reduceSession(emptySession(), capture(ops, tokens)).findings) ids.add(f.id);
      }),
      { ...runs, numRuns: 600 },
    );
    for (const id of [
      "admin-key-exposed", "stale-token-on-reconnect", "token-rejected", "identity-expired", "client-gave-up", "same-token-on-refresh",
      "token-fetch-stalled", "no-token-sent", "auth-cleared", "queries-before-auth", "token-accepted", "refresh-storm", "refresh-schedule",
      "clock-skew", "http-auth-missing", "http-auth-rejected", "bad-auth-scheme", "identity-mismatch", "events-dropped",
    ])
      expect(ids, id).toContain(id);
  });

  it("one event at a time, and the scenario capture in every split of two", async () => {
    const events = await mixedCapture();
    checkSplit(events, events.map((_, i) => i + 1));
    for (let i = 0; i <= events.length; i++) checkSplit(events, [i, events.length]);
  });

  it("a tracker fed the pure reducer's successive sessions (copied lists) and a session whose lists were replaced", () => {
    fc.assert(
      fc.property(sessions, splits, (ops, raw) => {
        const events = capture(ops, tokens);
        const t = new SessionFindingsTracker();
        let s: Session = emptySession();
        let from = 0;
        for (const to of cuts(events.length, raw)) {
          s = reduceSession(s, events.slice(from, to));
          from = to;
          expect(t.update(s)).toEqual(sessionFindings(s));
        }
        // A bound that let go of each connection's first step and the first request: read again, not appended to.
        const trimmed: Session = { ...s, connections: s.connections.map((c) => ({ ...c, steps: (c.steps ?? []).slice(1) })), requests: s.requests.slice(1) };
        expect(t.update(trimmed)).toEqual(sessionFindings(trimmed));
      }),
      { ...runs, numRuns: 100 },
    );
  });
});
