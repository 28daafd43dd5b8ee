import { describe, expect, it } from "vitest";
import { decodeU64, encodeU64, nsToMs } from "../../../src/core/wire/u64";

describe("base64 LE u64", () => {
  it("decodes the reference examples", () => {
    expect(decodeU64("AAAAAAAAAAA=")).toBe(0n);
    expect(decodeU64("AQAAAAAAAAA=")).toBe(1n);
  });
  it("round-trips nanosecond timestamps beyond 2^53", () => {
    for (const v of [0n, 1n, 255n, 256n, 1755800000123456789n, 0xffffffffffffffffn]) expect(decodeU64(encodeU64(v))).toBe(v);
    expect(encodeU64(256n)).toBe("AAEAAAAAAAA=");
  });
  it("rejects what is not 8 bytes of base64", () => {
    for (const bad of ["", "AAAA", "AAAAAAAAAAA", "AAAAAAAAAAAA", "!!!!!!!!!!!=", "AAAAAAAAAA=="]) expect(decodeU64(bad)).toBeNull();
    expect(decodeU64(42 as unknown as string)).toBeNull();
  });
  it("converts serverTs nanoseconds to ms", () => {
    expect(nsToMs(1755800000000000000)).toBe(1755800000000);
    expect(nsToMs(1755800000123456789n)).toBeCloseTo(1755800000123.4568, 3);
  });
});
