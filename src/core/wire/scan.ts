/**
 * A small tolerant scanner for large frames the hook kept as head + tail only (src/core/capture/events.ts).
 * It reads the few fields auth needs from the ends and never looks at (or needs) the middle.
 * The backend writes Transition fields in this order: type, startVersion, endVersion, modifications,
 * clientClockSkew, serverTs — so versions are in the head and skew/serverTs in the tail.
 */
import { isCount, isObject } from "./json";

export interface WireVersion {
  querySet: number;
  identity: number;
  /** base64 LE u64 nanoseconds, as sent. */
  ts: string;
}

/** The message type, preferably from the very first key. */
export function scanType(head: string): string | null {
  const m =
    /^\s*\{\s*"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(head) ?? /"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(head);
  return m?.[1] ?? null;
}

/** `"name":{...}` (a flat object) → the version, or null. First occurrence: versions precede modifications. */
export function scanVersion(text: string, name: "startVersion" | "endVersion"): WireVersion | null {
  const m = new RegExp(`"${name}"\\s*:\\s*(\\{[^{}]{0,200}\\})`).exec(text);
  if (!m?.[1]) return null;
  try {
    return asVersion(JSON.parse(m[1]));
  } catch {
    return null;
  }
}

export function asVersion(v: unknown): WireVersion | null {
  if (!isObject(v) || !isCount(v.querySet) || !isCount(v.identity) || typeof v.ts !== "string") return null;
  return { querySet: v.querySet, identity: v.identity, ts: v.ts };
}

/**
 * Trailing `"clientClockSkew":N,"serverTs":N}` (either may be null or absent). The last occurrence wins, so
 * a query result that happens to contain such a key earlier in the tail does not shadow the real fields.
 * serverTs is returned as the digits' exact bigint (nanoseconds exceed 2^53).
 */
export function scanTail(tail: string): { clientClockSkew: number | null; serverTsNs: bigint | null } {
  const skew = lastMatch(tail, /"clientClockSkew"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|null)/g);
  const ts = lastMatch(tail, /"serverTs"\s*:\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|null)/g);
  return {
    clientClockSkew: skew === null || skew === "null" ? null : Number(skew),
    serverTsNs: ts === null || ts === "null" ? null : toBigInt(ts),
  };
}

/** `"name":N` anywhere (first occurrence), for chunk metadata. */
export function scanNumber(text: string, name: string): number | null {
  const m = new RegExp(`"${name}"\\s*:\\s*(-?\\d{1,15})(?![\\d.eE])`).exec(text);
  return m?.[1] !== undefined ? Number(m[1]) : null;
}

/** `"name":"..."` (first occurrence, no escapes inside), for chunk metadata. */
export function scanString(text: string, name: string): string | null {
  const m = new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]{0,200})"`).exec(text);
  return m?.[1] ?? null;
}

/**
 * Undo the JSON string escaping of a fragment of a `chunk` string (a Transition's JSON nested in a
 * TransitionChunk). Fragments may start or end mid-escape; that only garbles a character at the cut.
 */
export function unescapeFragment(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    switch (e) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "b":
        return "\b";
      case "f":
        return "\f";
      default:
        return e; // \" \\ \/
    }
  });
}

function lastMatch(text: string, re: RegExp): string | null {
  let last: string | null = null;
  for (const m of text.matchAll(re)) last = m[1] ?? null;
  return last;
}

function toBigInt(num: string): bigint | null {
  if (/^\d+$/.test(num)) return BigInt(num);
  const n = Number(num);
  return Number.isFinite(n) && n >= 0 ? BigInt(Math.round(n)) : null;
}
