import { describe, expect, it } from "vitest";
import { predictVerdict } from "../../../src/core/verdict/predict";
import { verdictTimeEdges } from "../../../src/core/verdict/time-edges";
import { customJwt, dataUrl, keySource, makeKey, NOW, sign } from "./helpers";

describe("verdictTimeEdges", () => {
  it("lists exactly the seconds at which a customJwt verdict flips (5 s leeway each side)", async () => {
    const key = await makeKey("RS256", "k1");
    const provider = customJwt("https://auth.example.com", dataUrl({ keys: [{ ...key.publicJwk, alg: "RS256" }] }));
    const payload = { iss: "https://auth.example.com", sub: "u", nbf: NOW + 100, exp: NOW + 200 };
    const token = await sign(key, payload);
    const edges = verdictTimeEdges(payload);
    expect(edges).toEqual([NOW + 200, NOW + 206, NOW + 95]);
    const at = async (now: number) => (await predictVerdict(token, [provider], { now, keys: keySource() })).verdict;
    // Before nbf - 5 → rejected; from it on → accepted; from exp + 6 on → rejected again.
    expect(await at(NOW + 94)).toBe("rejected");
    expect(await at(NOW + 95)).toBe("accepted");
    expect(await at(NOW + 205)).toBe("accepted");
    expect(await at(NOW + 206)).toBe("rejected");
  });

  it("includes exp itself, where an OIDC verdict flips (no leeway)", () => {
    expect(verdictTimeEdges({ exp: NOW })).toContain(NOW);
    expect(verdictTimeEdges({})).toEqual([]);
  });
});
