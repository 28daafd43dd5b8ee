import { describe, expect, it } from "vitest";
import { renderReport } from "../../../src/cli/report";
import { plural } from "../../../src/core/text/plural";
import { finding } from "../../../src/core/rules/catalogue";
import { decodeToken } from "../../../src/core/token/decode";

describe("report wording", () => {
  it("plurals are correct", () => {
    expect(plural(1, "warning")).toBe("1 warning");
    expect(plural(2, "warning")).toBe("2 warnings");
    expect(plural(0, "error")).toBe("0 errors");
  });

  it("counts only the severities present, with correct plurals", () => {
    const out = renderReport({
      verdict: {
        verdict: "unknown",
        provider: null,
        expectedError: null,
        identity: null,
        step: "match",
        findings: [
          finding("lifetime-too-short", "a"),
          finding("config-env-unresolved", "b"),
          finding("check-incomplete", "c"),
        ],
      },
      token: decodeToken("a.b.c"),
      providers: [],
      configGiven: false,
      now: 0,
      prod: false,
      color: false,
    });
    expect(out).toContain("Findings  2 warnings, 1 info");
    expect(out).toContain("Verdict    UNKNOWN  (not decided: step match was not checked)");
  });
});
