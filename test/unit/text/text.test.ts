import { describe, expect, it } from "vitest";
import { elide } from "../../../src/core/text/elide";
import { plural } from "../../../src/core/text/plural";

describe("elide", () => {
  it("keeps short values whole", () => {
    expect(elide("app_id=convex", 40)).toEqual({ shown: "app_id=convex", elided: false });
  });
  it("cuts just after a segment boundary, never mid-word", () => {
    const text = "OIDC(domain=https://fine-gull-12.clerk.accounts.dev, app_id=convex)";
    for (let max = 20; max < text.length; max++) {
      const { shown, elided } = elide(text, max);
      expect(elided).toBe(true);
      expect(shown.length).toBeLessThanOrEqual(max + 1);
      // The character after the cut starts a new segment, or the shown part ends with a boundary.
      expect(shown).toMatch(/[./_\-=:|,&?]$|[\w)]$/);
      expect(text.startsWith(shown)).toBe(true);
      const next = text[shown.length];
      expect(/[./_\-=:|,&?\s]$/.test(shown) || /[\s,]/.test(next ?? "")).toBe(true);
    }
    expect(elide("NoAuthProvider … app_id=convex and more", 25).shown).toBe("NoAuthProvider … app_id=");
    expect(elide("issuer https://fine-gull-12.clerk.accounts.dev", 30).shown).toBe("issuer https://fine-gull-12.");
  });
  it("cuts a value without boundaries (base64) at max", () => {
    expect(elide("a".repeat(50), 10)).toEqual({ shown: "a".repeat(10), elided: true });
  });
  it("does not walk back more than half the budget", () => {
    expect(elide(`a.${"b".repeat(100)}`, 40).shown).toBe(`a.${"b".repeat(38)}`);
  });
});

describe("plural", () => {
  it("counts", () => {
    expect(plural(0, "warning")).toBe("0 warnings");
    expect(plural(1, "warning")).toBe("1 warning");
    expect(plural(2, "warning")).toBe("2 warnings");
    expect(plural(3, "info", "info")).toBe("3 info");
  });
});

describe("elided", () => {
  it("adds an ellipsis only when it cut, and never cuts inside a word", async () => {
    const { elided } = await import("../../../src/core/text/elide");
    expect(elided("short", 10)).toBe("short");
    const msg = "No auth provider found: [OIDC(domain=https://fine-gull-12.clerk.accounts.dev, app_id=convex)]";
    const out = elided(msg, 80);
    expect(out.endsWith("…")).toBe(true);
    expect(out).not.toMatch(/app_id=co…|clerk\.accou…/);
    expect(msg.startsWith(out.slice(0, -1))).toBe(true);
  });
});
