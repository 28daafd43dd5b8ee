import { describe, expect, it } from "vitest";
import { captureHeaderNatives, factsFromHeaders, factsFromHeadersInit } from "../../../src/hook/headers.ts";

const n = captureHeaderNatives(globalThis);

describe("Authorization and Convex-Client from any headers init", () => {
  it("reads a Headers object", () => {
    const h = new Headers({ Authorization: "Bearer a", "Convex-Client": "npm-1.48.0" });
    expect(factsFromHeadersInit(n, h)).toEqual({ authorization: "Bearer a", convexClient: true });
    expect(factsFromHeaders(n, new Headers())).toEqual({ authorization: null, convexClient: false });
  });

  it("reads a plain object, case-insensitively, joining repeats", () => {
    expect(factsFromHeadersInit(n, { AUTHORIZATION: "Convex key", "convex-CLIENT": "x" })).toEqual({
      authorization: "Convex key",
      convexClient: true,
    });
    expect(factsFromHeadersInit(n, { authorization: "A", Authorization: "B" })).toEqual({ authorization: "A, B", convexClient: false });
  });

  it("reads an array of pairs", () => {
    expect(factsFromHeadersInit(n, [["Convex-Client", "npm"], ["authorization", "Bearer c"], ["x", "y"]])).toEqual({
      authorization: "Bearer c",
      convexClient: true,
    });
    expect(factsFromHeadersInit(n, [["authorization"], "junk", ["a", "b", "c"]])).toEqual({ authorization: null, convexClient: false });
  });

  it("gives no facts for missing or odd values", () => {
    for (const v of [undefined, null, "Authorization: x", 42])
      expect(factsFromHeadersInit(n, v)).toEqual({ authorization: null, convexClient: false });
    expect(factsFromHeaders(n, { get: () => "fake" })).toBeNull(); // not a real Headers: brand check fails
  });

  it("reads only the header values it needs, and never calls toString on the page's objects", () => {
    const read: string[] = [];
    let toStringCalls = 0;
    const value = { toString: () => `${++toStringCalls}` };
    const init = {
      get "Content-Type"() {
        read.push("content-type");
        return "application/json";
      },
      get Authorization() {
        read.push("authorization");
        return value;
      },
    };
    expect(factsFromHeadersInit(n, init)).toEqual({ authorization: null, convexClient: false });
    expect(read).toEqual(["authorization"]);
    expect(toStringCalls).toBe(0);
  });
});
