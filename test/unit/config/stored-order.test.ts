import { describe, expect, it } from "vitest";
import { compareBytes, storedOrder } from "../../../src/core/config/stored-order";
import { parseAuthConfig } from "../../../src/core/config/parse";
import type { Provider } from "../../../src/core/config/types";

const label = (p: Provider) => (p.type === "oidc" ? `oidc:${p.applicationID}:${p.domain}` : `jwt:${p.applicationID ?? "-"}:${p.issuer}:${p.algorithm}`);

describe("storedOrder (reference §2.2)", () => {
  it("an OIDC provider listed second in the file comes first", () => {
    const r = parseAuthConfig(`export default { providers: [
      { type: "customJwt", issuer: "https://a.example.com", jwks: "https://a.example.com/jwks", algorithm: "RS256", applicationID: "a" },
      { domain: "https://z.example.com", applicationID: "z" },
    ] };`);
    expect(r.providers.map((p) => [p.type, p.index])).toEqual([
      ["oidc", 1],
      ["customJwt", 0],
    ]);
  });

  it("OIDC by applicationID then domain; customJwt by applicationID (absent first), issuer, jwks, algorithm", () => {
    const j = (issuer: string, algorithm: "RS256" | "ES256", index: number, applicationID?: string, jwks = "https://k"): Provider => ({
      type: "customJwt",
      issuer,
      jwks,
      algorithm,
      index,
      ...(applicationID === undefined ? {} : { applicationID }),
    });
    const providers: Provider[] = [
      j("https://b", "RS256", 0, "app"),
      j("https://a", "ES256", 1, "app"),
      j("https://a", "RS256", 2, "app"),
      j("https://z", "RS256", 3),
      { type: "oidc", domain: "https://b", applicationID: "x", index: 4 },
      { type: "oidc", domain: "https://a", applicationID: "y", index: 5 },
      { type: "oidc", domain: "https://a", applicationID: "x", index: 6 },
      j("https://a", "RS256", 7, "app", "https://a-jwks"),
    ];
    expect(storedOrder(providers).map((p) => p.index)).toEqual([6, 4, 5, 3, 7, 2, 1, 0]);
    expect(storedOrder(providers).map(label)[0]).toBe("oidc:x:https://a");
  });

  it("compares strings byte-wise (Rust order): uppercase before lowercase, ASCII before non-ASCII", () => {
    expect(compareBytes("Z", "a")).toBeLessThan(0);
    expect(compareBytes("https://a", "https://a/")).toBeLessThan(0);
    // UTF-16 order would put U+FF5E before U+1F600; UTF-8 byte order does the opposite.
    expect(compareBytes("\u{ff5e}", "\u{1f600}")).toBeLessThan(0);
    expect(compareBytes("\u{1f600}", "\u{ff5e}")).toBeGreaterThan(0);
  });

  it("exact duplicates collapse to one (the backend stores a set)", () => {
    const p: Provider = { type: "oidc", domain: "https://a", applicationID: "x", index: 0 };
    expect(storedOrder([p, { ...p, index: 1 }])).toEqual([p]);
  });
});
