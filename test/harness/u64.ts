// Convex timestamps (nanoseconds, u64) travel as base64 of 8 little-endian bytes (protocol §3).

/** Encode a u64 as the wire's base64 little-endian string, e.g. 0n → "AAAAAAAAAAA=". */
export function encodeU64(value: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return bytes.toString("base64");
}

/** Decode the wire's base64 little-endian u64. Throws on anything that is not exactly 8 bytes. */
export function decodeU64(text: string): bigint {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length !== 8) throw new Error(`not a base64 u64: ${JSON.stringify(text)}`);
  return bytes.readBigUInt64LE();
}

/** A deployment-wide clock that never goes backwards: max(last + 1, now in ns). */
export function createTsClock(nowMs: () => number = Date.now): () => bigint {
  let last = 0n;
  return () => {
    const now = BigInt(Math.floor(nowMs())) * 1_000_000n;
    last = now > last ? now : last + 1n;
    return last;
  };
}
