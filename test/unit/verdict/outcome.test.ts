import { describe, expect, it } from "vitest";
import { finding } from "../../../src/core/rules/catalogue";
import type { TokenUse } from "../../../src/core/session/types";
import { decodeToken } from "../../../src/core/token/decode";
import { timeEdgeBetween, tokenOutcome } from "../../../src/core/verdict/outcome";
import type { Verdict } from "../../../src/core/verdict/types";
import { makeKey, NOW, sign } from "./helpers";

async function use(outcome: TokenUse["outcome"], claims: Record<string, unknown>, sentAt = NOW): Promise<TokenUse> {
  const key = await makeKey("RS256", "k1");
  return { connection: "d:1", frame: 2, t: sentAt * 1000, token: decodeToken(await sign(key, claims)), outcome, ...(outcome === "rejected" ? { error: "No auth provider found matching the given token" } : {}) };
}
const verdict = (v: Verdict["verdict"], step = "verify"): Verdict => ({
  verdict: v,
  provider: null,
  expectedError: v === "rejected" ? { code: "Unauthenticated", message: "Token expired", httpStatus: 401 } : null,
  identity: null,
  findings: v === "rejected" ? [finding("token-expired", "expired")] : [],
  step,
});
const claims = { iss: "https://issuer.example", sub: "u", aud: "convex", iat: NOW - 10, exp: NOW + 300 };

describe("tokenOutcome", () => {
  it("observed outranks predicted; with no prediction at all the server's answer is the headline", async () => {
    const o = tokenOutcome(await use("accepted", claims), null);
    expect(o).toEqual({ verdict: "accepted", source: "observed", predicted: null, mismatch: null });
    const o2 = tokenOutcome(await use("accepted", claims), { verdict: verdict("unknown"), at: NOW, against: "nothing" });
    expect(o2).toMatchObject({ verdict: "accepted", source: "observed", predicted: "unknown", mismatch: null });
  });

  it("before the server answers, the prediction is the headline", async () => {
    expect(tokenOutcome(await use("pending", claims), { verdict: verdict("rejected"), at: NOW, against: "x" })).toMatchObject({ verdict: "rejected", source: "predicted", mismatch: null });
    expect(tokenOutcome(await use("pending", claims), null)).toMatchObject({ verdict: "unknown", source: "predicted" });
  });

  it("a disagreement for the same moment is a prediction-mismatch warning", async () => {
    const o = tokenOutcome(await use("rejected", claims), { verdict: verdict("accepted", "claims"), at: NOW + 1, against: "the pasted auth.config" });
    expect(o.verdict).toBe("rejected");
    expect(o.source).toBe("observed");
    expect(o.predicted).toBe("accepted");
    expect(o.mismatch?.id).toBe("prediction-mismatch");
    expect(o.mismatch?.severity).toBe("warning");
    expect(o.mismatch?.message).toContain("the pasted auth.config");
    expect(o.mismatch?.evidence).toEqual({ connection: "d:1", frame: 2 });
  });

  it("no false mismatch across a time edge: accepted when sent, expired now", async () => {
    const short = { ...claims, exp: NOW + 4 };
    const o = tokenOutcome(await use("accepted", short), { verdict: verdict("rejected"), at: NOW + 60, against: "x" });
    expect(o).toMatchObject({ verdict: "accepted", source: "observed", predicted: "rejected", mismatch: null });
    // The same token predicted for the moment it was sent would have to agree: a mismatch then is real.
    const o2 = tokenOutcome(await use("accepted", { ...claims, exp: NOW - 3600 }), { verdict: verdict("rejected"), at: NOW + 1, against: "x" });
    expect(o2.mismatch?.id).toBe("prediction-mismatch");
  });

  it("a rejection that no moment explains (aud, not time) is a mismatch even with iat inside the window", async () => {
    // Minted a second before it was sent, page clock 2 s off: iat - 5 s falls inside the widened window, but the
    // prediction rejects for aud, which holds at every moment.
    const fresh = { ...claims, iat: NOW - 1 };
    const audRejected: Verdict = { ...verdict("rejected", "match"), findings: [finding("aud-mismatch", "aud")] };
    const o = tokenOutcome(await use("accepted", fresh), { verdict: audRejected, at: NOW + 3, against: "x" }, 2000);
    expect(o.mismatch?.id).toBe("prediction-mismatch");
    // A time-based rejection across the same window is excused.
    const timed = tokenOutcome(await use("accepted", { ...fresh, exp: NOW + 2 }), { verdict: verdict("rejected"), at: NOW + 3, against: "x" }, 2000);
    expect(timed.mismatch).toBeNull();
  });

  it("a known clock difference between page and server widens the window", async () => {
    // Sent (page clock) 20 s before exp, but the page clock runs 30 s behind the server: the server saw it expired.
    const u = await use("rejected", { ...claims, exp: NOW + 20 });
    const p = { verdict: verdict("accepted", "claims"), at: NOW, against: "x" };
    expect(tokenOutcome(u, p).mismatch?.id).toBe("prediction-mismatch");
    expect(tokenOutcome(u, p, -30_000).mismatch).toBeNull();
  });

  it("timeEdgeBetween sees exp and the customJwt leeway edges, with slack for clocks", () => {
    expect(timeEdgeBetween({ exp: NOW + 100 }, NOW, NOW + 200)).toBe(true);
    expect(timeEdgeBetween({ exp: NOW + 100 }, NOW, NOW + 50)).toBe(false);
    expect(timeEdgeBetween({ exp: NOW + 100 }, NOW + 97, NOW + 97)).toBe(true);
    expect(timeEdgeBetween({}, NOW, NOW + 1e6)).toBe(false);
  });
});
