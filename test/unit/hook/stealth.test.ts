import { afterEach, describe, expect, it } from "vitest";
import { SafeWeakMap, guard } from "../../../src/hook/safe.ts";
import { disguise, maskToString, replaceValue } from "../../../src/hook/stealth.ts";

const nativeToString = Function.prototype.toString;
afterEach(() => {
  Function.prototype.toString = nativeToString;
});

describe("disguised wrappers", () => {
  it("print as their target through the masked Function.prototype.toString, and the mask prints as native", () => {
    const wrapped = disguise(Math.max, { apply: (t, self, args: number[]) => Reflect.apply(t, self, args) + 1 });
    expect(nativeToString.call(wrapped)).toBe("function () { [native code] }"); // why the mask exists
    maskToString(Function);
    expect(wrapped.toString()).toBe("function max() { [native code] }");
    expect(Function.prototype.toString.toString()).toBe("function toString() { [native code] }");
    expect(Function.prototype.toString.name).toBe("toString");
    expect(wrapped(1, 2)).toBe(3);
    expect(() => Function.prototype.toString.call({})).toThrow(TypeError);
    const plain = function named() {};
    expect(plain.toString()).toBe("function named() {}");
  });

  it("replaceValue keeps the property's flags and refuses accessors", () => {
    const o = {};
    Object.defineProperty(o, "f", { value: 1, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(o, "g", { get: () => 1, configurable: true });
    expect(replaceValue(o, "f", 2)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(o, "f")).toEqual({ value: 2, writable: true, enumerable: false, configurable: true });
    expect(replaceValue(o, "g", 2)).toBe(false);
    expect(replaceValue(o, "missing", 2)).toBe(false);
    expect(Object.getOwnPropertyDescriptor(o, "missing")).toBeUndefined();
  });
});

describe("safe built-ins", () => {
  it("SafeWeakMap keeps working when the page patches WeakMap.prototype", () => {
    const m = new SafeWeakMap<object, number>();
    const k = {};
    const get = WeakMap.prototype.get;
    const set = WeakMap.prototype.set;
    const seen: unknown[] = [];
    try {
      WeakMap.prototype.get = () => 99;
      WeakMap.prototype.set = function () {
        throw new Error("patched");
      };
      m.set(k, 1);
      seen.push(m.get(k), m.has(k));
      m.delete(k);
      seen.push(m.get(k));
    } finally {
      WeakMap.prototype.get = get;
      WeakMap.prototype.set = set;
    }
    expect(seen).toEqual([1, true, undefined]);
  });

  it("guard swallows what a recording path throws", () => {
    expect(() =>
      guard(() => {
        throw new Error("boom");
      }),
    ).not.toThrow();
  });
});
