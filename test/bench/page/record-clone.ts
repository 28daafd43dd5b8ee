/**
 * What the page channel's structured clone costs per record form: V8's ValueSerializer (the one Chromium's
 * MessagePort uses) serializing and deserializing a batch of 1,000 small sent frames, recorded as the hook
 * records them now (appendFrame: three values per whole text frame) and in the earlier five-value record
 * (REC_SEND, t, ws, size, text), rounds interleaved. Not a test; a figure for issue 9:
 *   npx tsx test/bench/page/record-clone.ts [rounds=40]
 */
import { deserialize, serialize } from "node:v8";
import { HOOK_SOURCE, type HookRecordBatch } from "../../../src/core/capture/events.ts";

/** The retired five-value whole-text tag (t, ws, size, text), the form this compares against. */
const REC_SEND = 1;
import { appendFrame } from "../../../src/hook/frame.ts";

const ROUNDS = Number(process.argv[2] ?? 40);
const FRAMES = 1000;
const text = (i: number) => `{"type":"Mutation","requestId":${i},"udfPath":"messages:send","args":[{"body":"hello ${i}"}]}`;

function batch(rec: HookRecordBatch["rec"]): HookRecordBatch {
  return { source: HOOK_SOURCE, doc: "d", seq: 0, n: FRAMES, rec };
}
const now: HookRecordBatch["rec"] = [];
const before: HookRecordBatch["rec"] = [];
for (let i = 0; i < FRAMES; i++) {
  const t = 1.7e12 + i / 10;
  appendFrame(now, true, t, 3, text(i));
  before.push(REC_SEND, t, 3, text(i).length, text(i));
}
const forms = { "three values (now)": batch(now), "five values (before)": batch(before) };
const us: Record<string, number[]> = Object.fromEntries(Object.keys(forms).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [k, b] of Object.entries(forms)) {
    const t0 = performance.now();
    for (let j = 0; j < 20; j++) deserialize(serialize(b));
    us[k]!.push(((performance.now() - t0) / 20) * 1000);
  }
}
console.log(`V8 serialize + deserialize of a ${FRAMES}-frame record batch, ${ROUNDS} interleaved rounds (µs):`);
for (const [k, a] of Object.entries(us)) {
  const s = [...a].sort((x, y) => x - y);
  console.log(`  ${k.padEnd(22)} min ${s[0]!.toFixed(0)}  median ${s[s.length >> 1]!.toFixed(0)}`);
}
