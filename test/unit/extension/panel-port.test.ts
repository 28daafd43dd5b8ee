/** The panel's port: it passes hook presence up and sums the background's eviction counts over reconnects. */
import { describe, expect, it, vi } from "vitest";
import type { BackgroundToPanel } from "../../../src/extension/protocol";

vi.mock("webextension-polyfill", () => ({ default: {} })); // only `runtime` is used, and it is injected below
const { connectPanel } = await import("../../../src/extension/panel-port");

/** A fake runtime whose ports the test drives. */
function fakeRuntime() {
  const ports: { deliver(m: unknown): void; drop(): void; sent: unknown[] }[] = [];
  const runtime = {
    id: "ext",
    connect() {
      const onMessage: ((m: unknown) => void)[] = [];
      const onDisconnect: (() => void)[] = [];
      const sent: unknown[] = [];
      ports.push({ deliver: (m) => onMessage.forEach((f) => f(m)), drop: () => onDisconnect.forEach((f) => f()), sent });
      return {
        onMessage: { addListener: (f: (m: unknown) => void) => void onMessage.push(f) },
        onDisconnect: { addListener: (f: () => void) => void onDisconnect.push(f) },
        postMessage: (m: unknown) => void sent.push(m),
        disconnect() {},
      } as never;
    },
  };
  return { runtime, ports };
}

const ev = (n: number) => ({ n, doc: "A", frame: 0, i: n, ev: { k: "ws-open" as const, t: n, ws: 0 } });

describe("connectPanel", () => {
  it("passes `hook` answers up and reports evictions summed over port lives", async () => {
    vi.useFakeTimers();
    const { runtime, ports } = fakeRuntime();
    const got: BackgroundToPanel[] = [];
    const conn = connectPanel(1, (m) => got.push(m), { runtime });
    ports[0]!.deliver({ type: "backlog", events: [ev(1)], hookSeen: false, epoch: "e" });
    ports[0]!.deliver({ type: "hook", present: true });
    ports[0]!.deliver({ type: "events", events: [], epoch: "e", evicted: 30 }); // a notice with no new events
    ports[0]!.deliver({ type: "events", events: [ev(2)], epoch: "e", evicted: 30 });
    ports[0]!.drop();
    await vi.advanceTimersByTimeAsync(100); // reconnects
    expect(ports).toHaveLength(2);
    ports[1]!.deliver({ type: "backlog", events: [ev(2)], hookSeen: true, epoch: "e" });
    ports[1]!.deliver({ type: "events", events: [ev(3)], epoch: "e", evicted: 5 }); // counted from the new backlog
    expect(got.map((m) => [m.type, "evicted" in m ? m.evicted : undefined])).toEqual([
      ["backlog", undefined],
      ["hook", undefined],
      ["events", 30],
      ["events", 30],
      ["events", 35],
    ]);
    expect(got[1]).toEqual({ type: "hook", present: true });
    conn.close();
    vi.useRealTimers();
  });
});
