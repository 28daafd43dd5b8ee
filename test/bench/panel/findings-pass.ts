/**
 * The session findings pass the panel runs while rows pour in (at most every 250 ms), measured in CPU time
 * (process.cpuUsage: a loaded machine does not inflate it): one pass over the whole session (`sessionFindings`,
 * what every refresh cost before the tracker) against the panel's SessionBuilder refresh, which reads only the
 * steps added since the last one — at the same session sizes, in one run. The session is the panel bench's long
 * timeline: one authenticated sync socket that subscribes N times (one step each), fed 1,000 events per batch.
 *   npx tsx test/bench/panel/findings-pass.ts [steps=50000]
 */
import { loadavg } from "node:os";
import { sessionFindings } from "../../../src/core/rules/session/index.ts";
import { SessionBuilder } from "../../../src/core/session/builder.ts";
import { authUser, Capture, connectMsg, mqs, signToken, transition } from "../../unit/session/fixtures.ts";

const STEPS = Number(process.argv[2] ?? 50_000);
const BATCH = 1_000;

const cpuMs = (f: () => void): number => {
  const a = process.cpuUsage();
  f();
  const b = process.cpuUsage(a);
  return (b.user + b.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const c = new Capture().installed().open(1).send(1, connectMsg(0, "InitialConnect")).send(1, authUser(0, await signToken())).recv(1, transition([0, 0], [0, 1]));
for (let i = 0; i < STEPS; i++) c.at(1).send(1, mqs(i, i + 1, [[1000 + i, `bench:q${i % 97}`]], [1000 + i]));

console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const b = new SessionBuilder();
const rows: string[] = [];
for (let at = 0; at < c.events.length; at += BATCH) {
  b.add(c.events.slice(at, at + BATCH));
  const incremental = cpuMs(() => b.refreshFindings());
  const steps = at + BATCH;
  if (steps % 10_000 !== 0) continue;
  const session = b.snapshot();
  if (rows.length === 0) for (let i = 0; i < 10; i++) sessionFindings(session); // JIT warm-up
  const whole = median([0, 1, 2, 3, 4].map(() => cpuMs(() => sessionFindings(session))));
  if (JSON.stringify(sessionFindings(session)) !== JSON.stringify(session.findings)) throw new Error("the refreshed findings differ from a whole pass");
  rows.push(`| ${steps.toLocaleString("en")} | ${whole.toFixed(1)} | ${incremental.toFixed(2)} | ${(whole / incremental).toFixed(0)}× |`);
}
console.log(`| events (one step each) | one pass over the whole session, CPU ms (median of 5) | refresh after 1,000 new events, CPU ms | ratio |\n|---|---|---|---|\n${rows.join("\n")}`);
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
