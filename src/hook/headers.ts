/**
 * The two request headers the hook cares about (`Authorization`, `Convex-Client`), read from any form fetch
 * accepts: a Headers object, a plain object, an array of [name, value] pairs. Natives are brand-checked, and
 * page objects are read with plain property gets only (no toString, no iterator), so nothing runs twice.
 */
import { apply, isArray, lower, objectKeys } from "./safe";

export interface HeaderFacts {
  /** The raw `Authorization` value (values of repeated headers joined with ", ", as Headers does). */
  authorization: string | null;
  convexClient: boolean;
}

export const NO_HEADERS: HeaderFacts = { authorization: null, convexClient: false };

export interface HeaderNatives {
  get: (this: Headers, name: string) => string | null;
  has: (this: Headers, name: string) => boolean;
}

export function captureHeaderNatives(g: typeof globalThis): HeaderNatives {
  return { get: g.Headers.prototype.get, has: g.Headers.prototype.has };
}

/** Facts from a real Headers object; null when `h` is not one. */
export function factsFromHeaders(n: HeaderNatives, h: unknown): HeaderFacts | null {
  try {
    return {
      authorization: apply(n.get, h, ["authorization"]) as string | null,
      convexClient: apply(n.has, h, ["convex-client"]) as boolean,
    };
  } catch {
    return null; // not a Headers: the native brand check threw
  }
}

const join = (prev: string | null, v: string): string => (prev === null ? v : `${prev}, ${v}`);

/** A header value as fetch would read it; only primitives (an object's toString would run twice). */
const valueOf = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? `${v}` : null;

/** Facts from a `headers` init value (Headers, record, or array of pairs). Unknown shapes give no facts. */
export function factsFromHeadersInit(n: HeaderNatives, h: unknown): HeaderFacts {
  if (typeof h !== "object" || h === null) return NO_HEADERS;
  const fromNative = factsFromHeaders(n, h);
  if (fromNative) return fromNative;
  let authorization: string | null = null;
  let convexClient = false;
  const note = (name: unknown, value: unknown): void => {
    if (typeof name !== "string") return;
    const key = lower(name);
    if (key === "convex-client") convexClient = true;
    else if (key === "authorization") {
      const v = valueOf(value);
      if (v !== null) authorization = join(authorization, v);
    }
  };
  if (isArray(h)) {
    const pairs = h as unknown[];
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      if (isArray(pair) && pair.length === 2) note(pair[0], pair[1]);
    }
  } else {
    const rec = h as Record<string, unknown>;
    const keys = objectKeys(rec);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const key = lower(k);
      // Read only the values the hook needs: other getters on the page's object are left alone.
      if (key === "authorization" || key === "convex-client") note(k, rec[k]);
    }
  }
  return { authorization, convexClient };
}
