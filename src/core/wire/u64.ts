/**
 * Convex timestamps on the wire: base64 (standard alphabet, padded) of 8 little-endian bytes, in nanoseconds
 * (reference convex-protocol §3). Pure: atob/btoa only.
 */

/** base64 LE u64 → bigint, or null when the text is not exactly 8 bytes of base64. */
export function decodeU64(b64: string): bigint | null {
  if (typeof b64 !== "string" || !/^[A-Za-z0-9+/]{11}=$/.test(b64)) return null;
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    return null;
  }
  if (bin.length !== 8) return null;
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bin.charCodeAt(i));
  return v;
}

/** bigint → base64 LE u64 (inverse of decodeU64). Throws RangeError outside 0..2^64-1 (programmer error). */
export function encodeU64(v: bigint): string {
  if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`u64 out of range: ${v}`);
  let bin = "";
  for (let i = 0; i < 8; i++) {
    bin += String.fromCharCode(Number(v & 0xffn));
    v >>= 8n;
  }
  return btoa(bin);
}

/** Nanoseconds (a JSON number or a bigint) → milliseconds, as the client does for `serverTs` (÷ 1,000,000). */
export function nsToMs(ns: number | bigint): number {
  if (typeof ns === "bigint") return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1_000_000;
  return ns / 1_000_000;
}
