/**
 * ECMAScript built-ins captured when the hook's bundle is evaluated (document_start, before any page script).
 * The hook calls only these copies, so a page that later patches `Reflect`, `WeakMap.prototype.get`,
 * `RegExp.prototype.exec`, `String.prototype.slice`… neither breaks the hook nor sees it calling them.
 * No DOM here: this module also runs under Node in the unit tests.
 */

export const apply = Reflect.apply;
export const construct = Reflect.construct;
export const defineProperty = Reflect.defineProperty;
export const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const objectKeys = Object.keys;
export const isArray = Array.isArray;
const setPrototypeOf = Reflect.setPrototypeOf;

/**
 * An empty array with no prototype, for the hook's own growing arrays: storing past the end of an ordinary array
 * looks the index up on Array.prototype, where a page may have defined an indexed setter that would then see
 * (and could change) what the hook records. A null prototype costs the append path nothing measurable and
 * structured clone still sends it as an array.
 */
export function bareArray<T>(): T[] {
  const a: T[] = [];
  setPrototypeOf(a, null);
  return a;
}

const NativeWeakMap = WeakMap;
const wmGet = WeakMap.prototype.get;
const wmSet = WeakMap.prototype.set;
const wmHas = WeakMap.prototype.has;
const wmDelete = WeakMap.prototype.delete;
const reExec = RegExp.prototype.exec;
const strSlice = String.prototype.slice;
const strLower = String.prototype.toLowerCase;
const strUpper = String.prototype.toUpperCase;
const strEndsWith = String.prototype.endsWith;
const strIndexOf = String.prototype.indexOf;
const numToString = Number.prototype.toString;
const promiseThen = Promise.prototype.then;

/**
 * A WeakMap whose methods cannot be intercepted after install: the native methods are own properties of the
 * private native map, so a page patching WeakMap.prototype is never consulted, and a lookup is a direct native
 * call (no Reflect.apply argument array on the per-frame path).
 */
export class SafeWeakMap<K extends object, V> {
  readonly #m: WeakMap<K, V>;
  constructor() {
    const m = new NativeWeakMap<K, V>();
    defineProperty(m, "get", { value: wmGet });
    defineProperty(m, "set", { value: wmSet });
    defineProperty(m, "has", { value: wmHas });
    defineProperty(m, "delete", { value: wmDelete });
    this.#m = m;
  }
  get(k: K): V | undefined {
    return this.#m.get(k);
  }
  set(k: K, v: V): void {
    this.#m.set(k, v);
  }
  has(k: K): boolean {
    return this.#m.has(k);
  }
  delete(k: K): void {
    this.#m.delete(k);
  }
}

export const test = (re: RegExp, s: string): boolean => apply(reExec, re, [s]) !== null;
export const exec = (re: RegExp, s: string): RegExpExecArray | null => apply(reExec, re, [s]) as RegExpExecArray | null;
export const slice = (s: string, start: number, end?: number): string =>
  apply(strSlice, s, end === undefined ? [start] : [start, end]) as string;
export const lower = (s: string): string => apply(strLower, s, []) as string;
export const upper = (s: string): string => apply(strUpper, s, []) as string;
export const endsWith = (s: string, suffix: string): boolean => apply(strEndsWith, s, [suffix]) as boolean;
export const includes = (s: string, part: string): boolean => (apply(strIndexOf, s, [part]) as number) !== -1;
export const hex = (n: number): string => apply(numToString, n, [16]) as string;
/** Date.now reads no `this`: the captured native is called directly (once per frame). */
export const now: () => number = Date.now;

const noop = (): void => undefined;
/** Let a promise settle unobserved without an unhandled rejection (native `then`: no page patch sees it). */
export const ignore = (p: unknown): void => void apply(promiseThen, p, [noop, noop]);

/** Run `f`, swallowing anything it throws: the hook must never throw into the page. */
export function guard(f: () => void): void {
  try {
    f();
  } catch {
    // A recording failure loses one event; it must not change what the page sees.
  }
}
