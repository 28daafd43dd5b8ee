/**
 * The bench page's script (bundled with the real `convex` browser client by page/server.ts). Each workload
 * returns its wall time in ms, measured with performance.now() inside the page.
 */
import { ConvexClient } from "convex/browser";
import { anyApi } from "convex/server";

const api = anyApi as any;
let client: ConvexClient;
/** The `i` of the last feed value the subscription delivered (the client may coalesce Transitions). */
let lastI = -2;
let onUpdate: (() => void) | null = null;

async function setup(url: string): Promise<void> {
  client = new ConvexClient(url);
  await new Promise<void>((resolve) => {
    client.onUpdate(api.bench.feed, {}, (value: { i: number }) => {
      lastI = value.i;
      if (onUpdate) onUpdate();
      else resolve();
    });
  });
}

/** The server bursts n Transitions of ~size characters; until the page's subscription saw the last one. */
async function recv(n: number, size: number): Promise<number> {
  const t = performance.now();
  await new Promise<void>((resolve) => {
    onUpdate = () => {
      if (lastI === n - 1) resolve();
    };
    void client.mutation(api.bench.burst, { n, size });
  });
  onUpdate = null;
  return performance.now() - t;
}

/** n mutations issued together; until all resolved (each answered by a MutationResponse and a Transition). */
async function mutations(n: number): Promise<number> {
  const t = performance.now();
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) all.push(client.mutation(api.bench.noop, { i }));
  await Promise.all(all);
  return performance.now() - t;
}

/** A plain sync socket and a tight loop of n small sends (the wrapped send's cost, nothing else). */
async function sendLoop(url: string, n: number): Promise<number> {
  const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/1.48.0/sync");
  await new Promise((r) => (ws.onopen = r));
  const frame = JSON.stringify({ type: "Event", eventType: "bench", event: null });
  const t = performance.now();
  for (let i = 0; i < n; i++) ws.send(frame);
  const ms = performance.now() - t;
  ws.close();
  return ms;
}

/** Paced Transitions for the latency figure: n updates, one every `gapMs`. */
async function paced(n: number, gapMs: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await recv(1, 1000);
    await new Promise((r) => setTimeout(r, gapMs));
  }
}

/**
 * Each workload starts in its own page task (setTimeout), not inside the CDP evaluate that asks for it: CDP's
 * `ScriptDuration` does not count script run by `Runtime.evaluate`, and the page's own work is what we compare.
 */
const inTask =
  <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
  (...a: A): Promise<R> =>
    new Promise<R>((resolve, reject) => setTimeout(() => f(...a).then(resolve, reject), 0));

(window as any).bench = {
  setup: inTask(setup),
  recv: inTask(recv),
  mutations: inTask(mutations),
  sendLoop: inTask(sendLoop),
  paced: inTask(paced),
  close: () => client.close(),
};
