import { describe, expect, it } from "vitest";
import { envPlaceholder, hasUnresolvedEnv, mergeEnv, parseEnvPairs, parseEnvText, parseEnvTextWithErrors, unresolvedEnvIn } from "../../../src/core/config/env";

describe("env values", () => {
  it("--env NAME=VALUE pairs; values may contain '='; bad pairs are reported", () => {
    expect(parseEnvPairs(["A=1", "JWKS=[{\"a\":\"b=c\"}]", "EMPTY="])).toEqual({ env: { A: "1", JWKS: '[{"a":"b=c"}]', EMPTY: "" }, errors: [] });
    const bad = parseEnvPairs(["novalue", "=x", "1A=b"]);
    expect(bad.env).toEqual({});
    expect(bad.errors).toEqual([
      '--env expects NAME=VALUE, got "novalue"',
      '--env expects NAME=VALUE, got "=x"',
      '--env expects NAME=VALUE, got "1A=b"',
    ]);
  });

  it("dotenv text: comments, export, quotes, escapes, multi-line values, inline comments", () => {
    const text = [
      "# a comment",
      "",
      "export CONVEX_SITE_URL=https://happy-animal-123.convex.site   # trailing comment",
      "CLERK='https://x.clerk.accounts.dev # not a comment'",
      'KEY="line1\\nline2"',
      'PEM="-----BEGIN-----',
      "abc",
      '-----END-----"',
      "SPACED = value with spaces ",
      "HASH=abc#def",
      "this is not valid",
    ].join("\n");
    const r = parseEnvTextWithErrors(text);
    expect(r.env).toEqual({
      CONVEX_SITE_URL: "https://happy-animal-123.convex.site",
      CLERK: "https://x.clerk.accounts.dev # not a comment",
      KEY: "line1\nline2",
      PEM: "-----BEGIN-----\nabc\n-----END-----",
      SPACED: "value with spaces",
      HASH: "abc#def",
    });
    expect(r.errors).toEqual(["line 11: expected NAME=VALUE"]);
    expect(parseEnvText("A=1\nbad line\nB='2'")).toEqual({ A: "1", B: "2" });
    expect(parseEnvTextWithErrors('X="open').errors).toEqual(["line 1: X has an unterminated \" quote"]);
  });

  it("placeholders and merging", () => {
    expect(envPlaceholder("A")).toBe("${process.env.A}");
    expect(unresolvedEnvIn("https://${process.env.A}/${process.env.B}/${process.env.A}")).toEqual(["A", "B"]);
    expect(hasUnresolvedEnv("https://x")).toBe(false);
    expect(mergeEnv({ A: "1", B: "1" }, undefined, { B: "2" })).toEqual({ A: "1", B: "2" });
  });
});
