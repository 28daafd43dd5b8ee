import { describe, expect, it } from "vitest";
import { audienceList, claimViews, formatRelative, formatTime, lifetimeSeconds, summarizeClaims } from "../../../src/core/token/claims";

describe("claim views", () => {
  it("relative times", () => {
    expect(formatRelative(1000 + 180, 1000)).toBe("in 3 min");
    expect(formatRelative(1000 - 12, 1000)).toBe("12 s ago");
    expect(formatRelative(1000, 1000)).toBe("now");
    expect(formatRelative(1000 + 7200, 1000)).toBe("in 2 h");
    expect(formatRelative(1000 - 5 * 86400, 1000)).toBe("5 d ago");
  });

  it("relative times in two units, the larger first, the second left out when zero", () => {
    expect(formatRelative(10_000 - 3720, 10_000)).toBe("1 h 2 min ago");
    expect(formatRelative(10_000 - 185, 10_000)).toBe("3 min 5 s ago");
    expect(formatRelative(10_000 + 3 * 86400 + 4 * 3600 + 59, 10_000)).toBe("in 3 d 4 h");
    expect(formatRelative(10_000 + 3600, 10_000)).toBe("in 1 h");
    expect(formatRelative(10_000 - 59.6, 10_000)).toBe("1 min ago");
  });

  it("formatTime: ISO (whole seconds without .000) and relative, never a bare epoch", () => {
    expect(formatTime(1_796_109_240, 1_796_109_240 + 3720)).toBe("2026-12-01T07:14:00Z, 1 h 2 min ago");
    expect(formatTime(1e20, 0)).toBe("100000000000000000000 (not a representable time)");
  });

  it("time claims get ISO and relative times; others are plain", () => {
    const views = claimViews({ iss: "https://i", iat: 1704067200, exp: 1704067500, name: "Ada", updated_at: 0 }, 1704067320);
    expect(views.map((v) => v.name)).toEqual(["iss", "iat", "exp", "name", "updated_at"]);
    expect(views[1]).toEqual({ name: "iat", value: 1704067200, time: "2024-01-01T00:00:00.000Z", relative: "2 min ago" });
    expect(views[2]).toMatchObject({ time: "2024-01-01T00:05:00.000Z", relative: "in 3 min" });
    expect(views[3]).toEqual({ name: "name", value: "Ada" });
    expect(views[4]?.time).toBe("1970-01-01T00:00:00.000Z");
    // Without a `now`, no relative time; out-of-range dates get no time at all.
    expect(claimViews({ exp: 1e20 })[0]).toEqual({ name: "exp", value: 1e20 });
    expect(claimViews({ exp: 10 })[0]?.relative).toBeUndefined();
  });

  it("audience as a list and lifetime", () => {
    expect(audienceList({ aud: "convex" })).toEqual(["convex"]);
    expect(audienceList({ aud: ["a", "b"] })).toEqual(["a", "b"]);
    expect(audienceList({})).toEqual([]);
    expect(lifetimeSeconds({ iat: 100, exp: 3700 })).toBe(3600);
    expect(lifetimeSeconds({ exp: 3700 })).toBeNull();
    expect(summarizeClaims({ iss: "x", sub: "s", iat: 0, exp: 60 }, 61)).toMatchObject({
      audience: [],
      lifetime: 60,
      expired: true,
      expiresRelative: "1 s ago",
    });
  });
});
