import { describe, expect, it } from "vitest";
import { SafeWeakMap, now } from "../../../src/hook/safe.ts";

/**
 * Runs `f` while built-ins are patched as a page may patch them after the hook loaded, restoring them before
 * anything else runs (the test runner itself uses WeakMaps and Date.now).
 */
function whilePatched<T>(f: (calls: string[]) => T): { result: T; calls: string[] } {
  const proto = WeakMap.prototype as unknown as Record<string, unknown>;
  const saved = { get: proto.get, set: proto.set, has: proto.has, delete: proto.delete, now: Date.now };
  const calls: string[] = [];
  for (const k of ["get", "set", "has", "delete"]) proto[k] = () => calls.push(k);
  Date.now = () => (calls.push("now"), 42);
  try {
    return { result: f(calls), calls };
  } finally {
    Object.assign(proto, { get: saved.get, set: saved.set, has: saved.has, delete: saved.delete });
    Date.now = saved.now;
  }
}

describe("natives captured at load", () => {
  it("SafeWeakMap never calls a WeakMap.prototype method the page patched after load", () => {
    const m = new SafeWeakMap<object, number>();
    const key = {};
    const { result, calls } = whilePatched(() => {
      m.set(key, 7);
      const seen = [m.get(key), m.has(key), m.has({})];
      m.delete(key);
      return [...seen, m.get(key)];
    });
    expect(result).toEqual([7, true, false, undefined]);
    expect(calls).toEqual([]);
  });

  it("now() is the native Date.now even when the page replaces it", () => {
    const before = Date.now();
    const { result, calls } = whilePatched(() => now());
    expect(calls).toEqual([]);
    expect(result).toBeGreaterThanOrEqual(before);
  });
});
