/**
 * Benchmark: what the panel's stored form costs and saves, in core alone (no browser). 50,000 ~1 KB Transitions
 * that change no auth state are reduced in batches of 100 as the panel does (SessionBuilder's `applyEvents`),
 * holding the events as they came or their stored forms: the median time of 7 interleaved rounds each (the
 * stored side includes making and keeping the copies), their ratio, and the text held per event either way.
 * Not a test: it prints figures (the panel's heap and CPU: panel.bench.ts).
 *   npx tsx test/bench/stored-form.bench.ts [events=50000]
 */
import { loadavg } from "node:os";
import { Draft } from "../../src/core/session/draft";
import { applyEvents, emptySession } from "../../src/core/session/reduce";
import type { CapturedEvent } from "../../src/core/session/types";

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = 7;
const pad = "x".repeat(960);

let n = 0;
const event = (ev: CapturedEvent["ev"]): CapturedEvent => ({ n: ++n, doc: "bench-doc", frame: 0, i: n, ev });
const events: CapturedEvent[] = [event({ k: "ws-new", t: 1, ws: 1, url: "ws://127.0.0.1:1/api/1.48.0/sync" }), event({ k: "ws-open", t: 1, ws: 1 })];
for (let i = 0; i < N; i++) {
  const v = (ts: number) => ({ querySet: 1, identity: 0, ts: Buffer.from(new BigUint64Array([BigInt(ts)]).buffer).toString("base64") });
  const text = JSON.stringify({ type: "Transition", startVersion: v(i), endVersion: v(i + 1), modifications: [{ type: "QueryUpdated", queryId: 0, value: { i, pad }, logLines: [], journal: null }], clientClockSkew: -3, serverTs: 1755800000000000000 + i * 1_000_037 });
  events.push(event({ k: "ws-recv", t: 1_755_800_000_000 + i, ws: 1, frame: { text, size: text.length } }));
}

function reduce(collect: boolean): { ms: number; chars: number } {
  let s = emptySession();
  const held: CapturedEvent[] = [];
  const t = performance.now();
  for (let i = 0; i < events.length; i += 100) {
    const batch = events.slice(i, i + 100);
    s = applyEvents(new Draft(s, true), batch, collect ? held : undefined);
    if (!collect) held.push(...batch); // the panel holds what it reduced either way
  }
  const ms = performance.now() - t;
  let chars = 0;
  for (const e of held) if (e.ev.k === "ws-recv") chars += "text" in e.ev.frame ? e.ev.frame.text.length : e.ev.frame.head.length + e.ev.frame.tail.length;
  return { ms, chars };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(`load average at start: ${load()}`);
const whole: number[] = [];
const stored: number[] = [];
let chars = { whole: 0, stored: 0 };
for (let r = 0; r < ROUNDS; r++) {
  const a = reduce(false);
  const b = reduce(true);
  whole.push(a.ms);
  stored.push(b.ms);
  chars = { whole: a.chars, stored: b.chars };
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const [w, s] = [median(whole), median(stored)];
console.log(`reduce ${N} Transitions (~1 KB), median of ${ROUNDS} interleaved rounds: whole ${w.toFixed(0)} ms, with stored forms ${s.toFixed(0)} ms (${(s / w).toFixed(2)}×, +${(((s - w) * 1000) / N).toFixed(1)} µs a Transition)`);
console.log(`frame text held: whole ${(chars.whole / N).toFixed(0)} chars a Transition, stored ${(chars.stored / N).toFixed(0)} chars`);
console.log(`load average at end: ${load()}`);
