/**
 * Making the wrappers indistinguishable from the natives they replace.
 *
 * Every wrapper is a Proxy over the native function, so `name`, `length`, `prototype`, own properties,
 * `[[Prototype]]`, call/construct errors and `new.target` stay native. What a Proxy does not preserve is
 * `Function.prototype.toString` (V8 prints `function () { [native code] }` for any callable Proxy), so that
 * one method is itself proxied to print each wrapper's target instead.
 */
import { SafeWeakMap, apply, defineProperty, getOwnPropertyDescriptor } from "./safe";

const NativeProxy = Proxy;
/** wrapper → the native it stands for */
const targets = new SafeWeakMap<object, object>();

/** A Proxy over `target` that `Function.prototype.toString` reports as `target`. */
export function disguise<T extends object>(target: T, handler: ProxyHandler<T>): T {
  const p = new NativeProxy(target, handler);
  targets.set(p, target);
  return p;
}

/**
 * Replace a data property's value, keeping its writable/enumerable/configurable flags exactly.
 * Returns false (and changes nothing) when the property is missing or is an accessor.
 */
export function replaceValue(obj: object, key: PropertyKey, value: unknown): boolean {
  const d = getOwnPropertyDescriptor(obj, key);
  if (!d || !("value" in d)) return false;
  return defineProperty(obj, key, {
    value,
    writable: d.writable === true,
    enumerable: d.enumerable === true,
    configurable: d.configurable === true,
  });
}

/** Proxy `Function.prototype.toString` so every disguised wrapper (and itself) prints as its native. */
export function maskToString(FunctionCtor: FunctionConstructor): void {
  const proto = FunctionCtor.prototype;
  const native = proto.toString;
  const masked = disguise(native, {
    apply(t, thisArg: unknown, args: unknown[]) {
      // A primitive or unknown `this` is passed through, so the native's own TypeError is what the page sees.
      const real = typeof thisArg === "function" ? targets.get(thisArg) : undefined;
      return apply(t, real ?? thisArg, args);
    },
  });
  replaceValue(proto, "toString", masked);
}
