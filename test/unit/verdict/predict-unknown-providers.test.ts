import { describe, expect, it } from "vitest";
import { predictVerdict } from "../../../src/core/verdict/predict";
import { ids, keySource, makeKey, NOW, sign } from "./helpers";

describe("predictVerdict with an unknown provider list (null)", () => {
  it("judges only the provider-independent steps and says the verdict is unknown", async () => {
    const key = await makeKey("RS256", "k1");
    const token = await sign(key, { iss: "https://verb-noun-00.clerk.accounts.dev", sub: "user_1", azp: "http://localhost:3000", sid: "sess_1", iat: NOW, exp: NOW + 60 });
    const v = await predictVerdict(token, null, { now: NOW, keys: keySource() });
    expect(v.verdict).toBe("unknown");
    expect(v.expectedError).toBeNull();
    expect(v.step).toBe("match");
    expect(ids(v)).toContain("check-incomplete");
    // The issuer still identifies the provider: the Clerk hint is worth showing before any config is given.
    expect(ids(v)).toContain("hint-clerk-template");
    expect(ids(v)).not.toContain("no-providers");
  });

  it("still rejects what no provider list could save (an unparseable payload, no iss)", async () => {
    const garbage = await predictVerdict("a.b.c", null, { now: NOW, keys: null });
    expect(garbage.verdict).toBe("rejected");
    expect(ids(garbage)).toEqual(["not-a-jwt"]);
    const key = await makeKey("RS256", "k1");
    const noIss = await predictVerdict(await sign(key, { sub: "u", exp: NOW + 60 }), null, { now: NOW, keys: null });
    expect(noIss.verdict).toBe("rejected");
    expect(noIss.expectedError?.message).toBe(
      "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers.",
    );
  });

  it("an empty list is not unknown: it is the backend's 'no providers configured'", async () => {
    const key = await makeKey("RS256", "k1");
    const v = await predictVerdict(await sign(key, { iss: "https://a.example.com", sub: "u", exp: NOW + 60 }), [], { now: NOW, keys: null });
    expect(v.verdict).toBe("rejected");
    expect(v.expectedError?.message).toBe("No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts.");
    expect(ids(v)).toContain("no-providers");
  });
});
